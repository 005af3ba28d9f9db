import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELETE as deleteUser, PATCH as patchUser } from "@/app/api/v1/admin/users/[id]/route";
import { GET as listUsers } from "@/app/api/v1/admin/users/route";
import { freshDatabase, type TestDatabase } from "../support/database";
import { createAdminWithToken, createUserWithToken, idContext, noContext, request } from "../support/http";

let database: TestDatabase;
let admin: Awaited<ReturnType<typeof createAdminWithToken>>;
let user: Awaited<ReturnType<typeof createUserWithToken>>;
beforeAll(async () => {
  database = await freshDatabase();
  admin = await createAdminWithToken();
  user = await createUserWithToken("plain");
});
afterAll(async () => {
  await database.dispose();
});

const list = (query: string, token?: string) => listUsers(request(`/api/v1/admin/users${query}`, { token }), noContext);
const patch = (id: string, json: unknown, token?: string) =>
  patchUser(request(`/api/v1/admin/users/${id}`, { method: "PATCH", json, token }), idContext(id));
const remove = (id: string, token?: string) =>
  deleteUser(request(`/api/v1/admin/users/${id}`, { method: "DELETE", token }), idContext(id));

describe("admin users API", () => {
  it("refuses anonymous callers with 401 and normal users with 403", async () => {
    expect((await list("")).status).toBe(401);
    const forbidden = await list("", user.token);
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).error.code).toBe("forbidden");
    expect((await patch(user.user.id, { role: "ADMIN" }, user.token)).status).toBe(403);
    expect((await remove(admin.user.id, user.token)).status).toBe(403);
    expect((await patch(user.user.id, { role: "ADMIN" })).status).toBe(401);
  });

  it("searches by email or username and paginates", async () => {
    for (let i = 0; i < 3; i++) await database.prisma.user.create({ data: { username: `pager_${i}`, email: `pager${i}@paging.test` } });
    const page1 = await (await list("?query=PAGING.TEST&page=1&pageSize=2", admin.token)).json();
    expect(page1).toMatchObject({ page: 1, pageSize: 2, total: 3 });
    expect(page1.users).toHaveLength(2);
    const page2 = await (await list("?query=paging.test&page=2&pageSize=2", admin.token)).json();
    expect(page2.users).toHaveLength(1);
    const ids = new Set([...page1.users, ...page2.users].map((found: { id: string }) => found.id));
    expect(ids.size).toBe(3);
    const byName = await (await list("?query=pager_1", admin.token)).json();
    expect(byName.users.map((found: { username: string }) => found.username)).toEqual(["pager_1"]);
    for (const found of page1.users) expect(Object.keys(found).sort()).toEqual(["createdAt", "email", "emailVerified", "id", "role", "username"]);
  });

  it("rejects bad query parameters", async () => {
    for (const query of ["?page=0", "?pageSize=1000", "?page=abc", "?sort=evil"]) {
      expect((await list(query, admin.token)).status).toBe(400);
    }
  });

  it("changes a role, with the change visible on the user's next request", async () => {
    const target = await createUserWithToken("promoted");
    const response = await patch(target.user.id, { role: "ADMIN" }, admin.token);
    expect(response.status).toBe(200);
    expect((await response.json()).user.role).toBe("ADMIN");
    expect((await list("", target.token)).status).toBe(200);
    expect((await patch(target.user.id, { role: "USER" }, admin.token)).status).toBe(200);
    expect((await list("", target.token)).status).toBe(403);
  });

  it("validates the PATCH body strictly", async () => {
    for (const body of [{ role: "ROOT" }, {}, { role: "ADMIN", passwordHash: "x" }, { email: "x@y.z" }]) {
      const response = await patch(user.user.id, body, admin.token);
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe("validation_error");
    }
  });

  it("answers 404 for unknown or malformed ids", async () => {
    expect((await patch("does-not-exist", { role: "ADMIN" }, admin.token)).status).toBe(404);
    expect((await remove("does-not-exist", admin.token)).status).toBe(404);
    expect((await remove("../../etc", admin.token)).status).toBe(404);
  });

  it("never lets an admin demote or delete themselves, nor remove the last admin", async () => {
    expect((await patch(admin.user.id, { role: "USER" }, admin.token)).status).toBe(403);
    expect((await remove(admin.user.id, admin.token)).status).toBe(403);
    const second = await createAdminWithToken("second");
    expect((await patch(admin.user.id, { role: "USER" }, second.token)).status).toBe(200);
    // `admin` is no longer an admin; `second` is the last one and cannot remove itself.
    expect((await patch(second.user.id, { role: "USER" }, second.token)).status).toBe(403);
    expect(await database.prisma.user.count({ where: { role: "ADMIN" } })).toBeGreaterThanOrEqual(1);
    expect((await patch(admin.user.id, { role: "ADMIN" }, second.token)).status).toBe(200);
  });

  it("two admins demoting each other at once leave one admin", async () => {
    const a = await createAdminWithToken("duel_a");
    const b = await createAdminWithToken("duel_b");
    await database.prisma.user.updateMany({ where: { role: "ADMIN", id: { notIn: [a.user.id, b.user.id] } }, data: { role: "USER" } });
    const results = await Promise.all([patch(b.user.id, { role: "USER" }, a.token), patch(a.user.id, { role: "USER" }, b.token)]);
    expect(results.map((result) => result.status).sort()).toEqual([200, 403]);
    expect(await database.prisma.user.count({ where: { role: "ADMIN" } })).toBe(1);
    await database.prisma.user.update({ where: { id: admin.user.id }, data: { role: "ADMIN" } });
  });

  it("deletes a user and everything that ends with them", async () => {
    const target = await createUserWithToken("doomed");
    expect((await remove(target.user.id, admin.token)).status).toBe(204);
    expect(await database.prisma.user.findUnique({ where: { id: target.user.id } })).toBeNull();
    expect((await remove(target.user.id, admin.token)).status).toBe(404);
  });
});
