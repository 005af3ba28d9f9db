import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELETE as deleteUser, PATCH as patchUser } from "@/app/api/v1/admin/users/[id]/route";
import { POST as changePassword } from "@/app/api/v1/auth/password/change/route";
import { POST as revoke } from "@/app/api/v1/auth/revoke/route";
import { POST as token } from "@/app/api/v1/auth/token/route";
import { GET as me } from "@/app/api/v1/me/route";
import { listAuditEvents } from "@/lib/services/audit";
import { freshDatabase, type TestDatabase } from "../support/database";
import { PASSWORD, TEST_ADDRESS, createAdminWithToken, createUserWithToken, idContext, noContext, request } from "../support/http";

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database.dispose();
});

const NEW_PASSWORD = "a brand new passphrase for audit";
const patch = (id: string, json: unknown, bearer: string) =>
  patchUser(request(`/api/v1/admin/users/${id}`, { method: "PATCH", json, token: bearer }), idContext(id));
const meStatus = async (bearer: string) => (await me(request("/api/v1/me", { token: bearer }), noContext)).status;
const login = (identifier: string, password: string) =>
  token(request("/api/v1/auth/token", { method: "POST", headers: { "user-agent": "audit-agent/1.0" }, json: { identifier, password } }), noContext);

describe("audit log", () => {
  it("records sign-ins, failures, password changes, revocation and admin actions with actor, target, address and agent", async () => {
    const admin = await createAdminWithToken("auditor");
    const alice = await createUserWithToken("audited");
    expect((await login(alice.user.username, "wrong password for the log")).status).toBe(401);
    expect((await login("nobody-at-all@example.com", "wrong password for the log")).status).toBe(401);
    const changed = await changePassword(
      request("/api/v1/auth/password/change", { method: "POST", token: alice.token, json: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } }),
      noContext,
    );
    expect(changed.status).toBe(204);
    expect((await revoke(request("/api/v1/auth/revoke", { method: "POST", token: alice.token }), noContext)).status).toBe(204);
    expect((await patch(alice.user.id, { role: "ADMIN" }, admin.token)).status).toBe(200);
    expect((await patch(alice.user.id, { role: "USER", locked: true }, admin.token)).status).toBe(200);
    expect((await patch(alice.user.id, { locked: false }, admin.token)).status).toBe(200);
    const removed = await deleteUser(request(`/api/v1/admin/users/${alice.user.id}`, { method: "DELETE", token: admin.token }), idContext(alice.user.id));
    expect(removed.status).toBe(204);

    const { events } = await listAuditEvents({ user: alice.user.id }, 1, 100);
    const types = events.map((event) => event.type).reverse();
    expect(types).toEqual([
      "signup",
      "login.success",
      "login.failure",
      "reauth.success",
      "password.change",
      "logout.everywhere",
      "user.role_change",
      "user.role_change",
      "user.lock",
      "user.unlock",
      "user.delete",
    ]);
    const failure = events.find((event) => event.type === "login.failure")!;
    expect(failure).toMatchObject({ ip: TEST_ADDRESS, userAgent: "audit-agent/1.0", detail: { reason: "wrong_password", via: "api" } });
    const lock = events.find((event) => event.type === "user.lock")!;
    expect(lock.actor).toMatchObject({ id: admin.user.id, username: admin.user.username });
    expect(lock.target).toMatchObject({ id: alice.user.id, username: null });
    expect(events.find((event) => event.type === "user.delete")?.detail).toMatchObject({ identifier: alice.user.username });

    const unknown = await listAuditEvents({ type: "login.failure" }, 1, 100);
    expect(unknown.events.some((event) => event.detail?.identifier === "nobody-at-all@example.com" && event.target === null)).toBe(true);

    // Nothing secret is ever written: no password, no token, no hash.
    const everything = JSON.stringify(await database.prisma.auditEvent.findMany());
    for (const secret of [PASSWORD, NEW_PASSWORD, "wrong password for the log", alice.token, admin.token, "$2b$"]) {
      expect(everything).not.toContain(secret);
    }
  });

  it("is append-only: the database refuses to change or delete an event, except to add repeats", async () => {
    const event = await database.prisma.auditEvent.findFirstOrThrow();
    await expect(database.prisma.auditEvent.update({ where: { id: event.id }, data: { type: "forged" } })).rejects.toThrow();
    await expect(database.prisma.auditEvent.deleteMany()).rejects.toThrow();
    await expect(database.prisma.$executeRawUnsafe(`UPDATE "AuditEvent" SET "ip" = NULL`)).rejects.toThrow(/append-only/);
    expect(await database.prisma.auditEvent.findUnique({ where: { id: event.id } })).toMatchObject({ type: event.type });
    // Only repeats can be added to a merged event: its count and last time grow, nothing else moves.
    const later = new Date(event.lastAt.getTime() + 1000);
    await database.prisma.auditEvent.update({ where: { id: event.id }, data: { count: { increment: 2 }, lastAt: later } });
    await expect(database.prisma.auditEvent.update({ where: { id: event.id }, data: { count: 1 } })).rejects.toThrow();
    await expect(database.prisma.auditEvent.update({ where: { id: event.id }, data: { lastAt: event.lastAt } })).rejects.toThrow();
    await expect(database.prisma.auditEvent.update({ where: { id: event.id }, data: { count: { increment: 1 }, detail: {} } })).rejects.toThrow();
    expect(await database.prisma.auditEvent.findUnique({ where: { id: event.id } })).toMatchObject({ count: event.count + 2, lastAt: later });
  });

  it("filters by type and day, newest first, and pages", async () => {
    const today = new Date();
    const startOfDay = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
    const all = await listAuditEvents({ from: startOfDay }, 1, 3);
    expect(all.events).toHaveLength(3);
    expect(all.total).toBeGreaterThan(3);
    expect(all.events[0].createdAt >= all.events[1].createdAt).toBe(true);
    expect((await listAuditEvents({ to: startOfDay }, 1, 10)).total).toBe(0);
    const signups = await listAuditEvents({ type: "signup" }, 1, 100);
    expect(signups.events.every((event) => event.type === "signup")).toBe(true);
  });
});

describe("admin lock", () => {
  it("ends every session and token at once, refuses sign-in generically, and can't be used on oneself", async () => {
    const admin = await createAdminWithToken("locker");
    const bob = await createUserWithToken("lockee");
    expect((await patch(bob.user.id, { locked: true }, admin.token)).status).toBe(200);
    expect(await meStatus(bob.token)).toBe(401);
    const refused = await login(bob.user.username, PASSWORD);
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.code).toBe("invalid_credentials");
    expect((await patch(bob.user.id, { locked: false }, admin.token)).status).toBe(200);
    expect((await login(bob.user.username, PASSWORD)).status).toBe(200);

    const self = await patch(admin.user.id, { locked: true }, admin.token);
    expect(self.status).toBe(403);
    expect(await meStatus(admin.token)).toBe(200);
    expect((await patch(bob.user.id, { locked: "yes" }, admin.token)).status).toBe(400);
  });
});
