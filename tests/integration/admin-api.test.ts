import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELETE as deleteUser, PATCH as patchUser } from "@/app/api/v1/admin/users/[id]/route";
import { GET as listUsers } from "@/app/api/v1/admin/users/route";
import { GET as me } from "@/app/api/v1/me/route";
import { ERROR_CODES } from "@/lib/errors";
import { deleteUser as deleteUserService, updateUser } from "@/lib/services/admin";
import { createUserApiKey } from "@/lib/services/api-keys";
import { sessionUserId, signInThroughAuthJs } from "../support/auth-js";
import { freshDatabase, type TestDatabase } from "../support/database";
import { ORIGIN, TEST_CONTEXT, createAdminWithToken, createUserWithToken, idContext, noContext, request } from "../support/http";

const LAST_ADMIN_MESSAGE = ERROR_CODES.last_admin.message;
const SELF_REMOVAL_MESSAGE = ERROR_CODES.self_removal.message;

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

  it("never lets an admin demote or delete themselves", async () => {
    for (const response of [await patch(admin.user.id, { role: "USER" }, admin.token), await remove(admin.user.id, admin.token)]) {
      expect(response.status).toBe(403);
      expect((await response.json()).error.message).toBe(SELF_REMOVAL_MESSAGE);
    }
    expect((await database.prisma.user.findUnique({ where: { id: admin.user.id } }))?.role).toBe("ADMIN");
  });

  it("never removes the last admin, whoever asks", async () => {
    // Through the API the caller is always an admin, so another one remains whenever the caller isn't the target:
    // the rule is reached here by a caller that is not (or no longer) an admin, as a demoted admin's request in
    // flight would be. The duel below reaches it through the API.
    const last = await createAdminWithToken("last");
    await database.prisma.user.updateMany({ where: { role: "ADMIN", id: { not: last.user.id } }, data: { role: "USER" } });
    try {
      await expect(updateUser(user.user.id, last.user.id, { role: "USER" }, TEST_CONTEXT)).rejects.toMatchObject({ status: 403, message: LAST_ADMIN_MESSAGE });
      await expect(deleteUserService(user.user.id, last.user.id, TEST_CONTEXT)).rejects.toMatchObject({ status: 403, message: LAST_ADMIN_MESSAGE });
      expect(await database.prisma.user.findMany({ where: { role: "ADMIN" }, select: { id: true } })).toEqual([{ id: last.user.id }]);
      // With a second admin the same two calls go through: the refusal above was the last-admin rule and nothing else.
      await database.prisma.user.update({ where: { id: admin.user.id }, data: { role: "ADMIN" } });
      await updateUser(user.user.id, last.user.id, { role: "USER" }, TEST_CONTEXT);
      expect((await database.prisma.user.findUnique({ where: { id: last.user.id } }))?.role).toBe("USER");
    } finally {
      await database.prisma.user.update({ where: { id: admin.user.id }, data: { role: "ADMIN" } });
    }
  });

  it("two admins demoting each other at once leave one admin", async () => {
    const a = await createAdminWithToken("duel_a");
    const b = await createAdminWithToken("duel_b");
    await database.prisma.user.updateMany({ where: { role: "ADMIN", id: { notIn: [a.user.id, b.user.id] } }, data: { role: "USER" } });
    try {
      const results = await Promise.all([patch(b.user.id, { role: "USER" }, a.token), patch(a.user.id, { role: "USER" }, b.token)]);
      expect(results.map((result) => result.status).sort()).toEqual([200, 403]);
      // Which refusal the loser gets depends on when its request is checked: behind the winner's change it is no
      // longer an admin (forbidden), beside it the last-admin rule stops it. Either way one admin is left.
      const refused = results.find((result) => result.status === 403)!;
      expect([LAST_ADMIN_MESSAGE, ERROR_CODES.forbidden.message]).toContain((await refused.json()).error.message);
      expect(await database.prisma.user.count({ where: { role: "ADMIN" } })).toBe(1);
    } finally {
      await database.prisma.user.update({ where: { id: admin.user.id }, data: { role: "ADMIN" } });
    }
  });

  it("deletes a user and everything that ends with them", async () => {
    const target = await createUserWithToken("doomed");
    const { sessionCookie } = await signInThroughAuthJs(ORIGIN, target.user.username, target.password);
    const cookie = sessionCookie!.split(";")[0];
    const { key } = await createUserApiKey(target.user.id, { name: "doomed", expiresInDays: 30 }, TEST_CONTEXT);
    const meWith = async (bearer: string) => (await me(request("/api/v1/me", { token: bearer }), noContext)).status;
    // Each credential works before the deletion, so a refusal afterwards is the deletion's doing.
    expect([await meWith(target.token), await meWith(key), await sessionUserId(cookie)]).toEqual([200, 200, target.user.id]);
    expect((await remove(target.user.id, admin.token)).status).toBe(204);
    expect(await database.prisma.user.findUnique({ where: { id: target.user.id } })).toBeNull();
    expect([await meWith(target.token), await meWith(key), await sessionUserId(cookie)]).toEqual([401, 401, null]);
    expect(await database.prisma.session.count({ where: { userId: target.user.id } })).toBe(0);
    expect(await database.prisma.apiKey.count({ where: { userId: target.user.id } })).toBe(0);
    expect((await remove(target.user.id, admin.token)).status).toBe(404);
  });
});
