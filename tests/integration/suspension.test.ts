import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PATCH as patchUser } from "@/app/api/v1/admin/users/[id]/route";
import { POST as token } from "@/app/api/v1/auth/token/route";
import { GET as me } from "@/app/api/v1/me/route";
import { createUserApiKey } from "@/lib/services/api-keys";
import { attemptLogin } from "@/lib/services/login";
import { sessionUserId, signInThroughAuthJs } from "../support/auth-js";
import { freshDatabase, type TestDatabase } from "../support/database";
import { ORIGIN, PASSWORD, TEST_CONTEXT, createAdminWithToken, createUserWithToken, idContext, noContext, request } from "../support/http";

let database: TestDatabase;
let admin: Awaited<ReturnType<typeof createAdminWithToken>>;
beforeAll(async () => {
  database = await freshDatabase();
  admin = await createAdminWithToken("suspender");
});
afterAll(async () => {
  await database.dispose();
});

const HOUR = 3600 * 1000;
const patch = (id: string, json: unknown, bearer = admin.token) =>
  patchUser(request(`/api/v1/admin/users/${id}`, { method: "PATCH", json, token: bearer }), idContext(id));
const meWith = (bearer: string) => me(request("/api/v1/me", { token: bearer }), noContext);
const tokenFor = (identifier: string, password: string) =>
  token(request("/api/v1/auth/token", { method: "POST", json: { identifier, password } }), noContext);

async function suspendedUser(prefix: string, hours = 24, suspensionReason?: string) {
  const target = await createUserWithToken(prefix);
  const until = new Date(Date.now() + hours * HOUR).toISOString();
  const response = await patch(target.user.id, { suspendedUntil: until, ...(suspensionReason && { suspensionReason }) });
  expect(response.status).toBe(200);
  return { ...target, until };
}

describe("suspension through PATCH /api/v1/admin/users/{id}", () => {
  it("ends every session, access token and API key use at once, audits it and mails the user in the same change", async () => {
    const target = await createUserWithToken("suspendee");
    const { key } = await createUserApiKey(target.user.id, { name: "bot" }, TEST_CONTEXT);
    const { sessionCookie } = await signInThroughAuthJs(ORIGIN, target.user.username, PASSWORD);
    expect(await sessionUserId(sessionCookie!)).toBe(target.user.id);
    const until = new Date(Date.now() + HOUR).toISOString();
    const response = await patch(target.user.id, { suspendedUntil: until, suspensionReason: "Spam from this account" });
    expect(response.status).toBe(200);
    expect(Object.keys((await response.json()).user).sort()).toEqual(["createdAt", "email", "emailVerified", "id", "role", "username"]);
    expect(await database.prisma.session.count({ where: { userId: target.user.id } })).toBe(0);
    expect((await meWith(target.token)).status).toBe(401);
    expect((await meWith(key)).status).toBe(401);
    expect(await sessionUserId(sessionCookie!)).toBeNull();
    const event = await database.prisma.auditEvent.findFirstOrThrow({ where: { type: "user.suspend", targetId: target.user.id } });
    expect(event.actorId).toBe(admin.user.id);
    expect(event.detail).toMatchObject({ until, suspensionReason: "Spam from this account", via: "admin" });
    expect(await database.prisma.outboxMail.count({ where: { recipient: target.user.email, kind: "account_suspended" } })).toBe(1);
  });

  it("tells the suspension and its end only to the right password; a wrong one gets the generic answer", async () => {
    const target = await suspendedUser("rightpw");
    const right = await tokenFor(target.user.username, PASSWORD);
    expect(right.status).toBe(403);
    const body = await right.json();
    expect(body.error.code).toBe("account_suspended");
    expect(body.error.message).toContain(target.until.slice(0, 16).replace("T", " "));
    const wrong = await tokenFor(target.user.username, `${PASSWORD}x`);
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error.code).toBe("invalid_credentials");

    const form = await attemptLogin(target.user.username, PASSWORD, TEST_CONTEXT, "form");
    expect(form).toMatchObject({ ok: false, error: "account_suspended" });
    expect(await attemptLogin(target.user.username, "not the password at all", TEST_CONTEXT, "form")).toEqual({ ok: false, error: "invalid_credentials" });
    const browser = await signInThroughAuthJs(ORIGIN, target.user.username, PASSWORD);
    expect(browser.sessionCookie).toBeUndefined();
  });

  it("refuses every credential while it runs, and lifts itself at its end with no job", async () => {
    const target = await createUserWithToken("expiring");
    const { key } = await createUserApiKey(target.user.id, { name: "kept" }, TEST_CONTEXT);
    const setUntil = (offsetMs: number) =>
      database.prisma.user.update({ where: { id: target.user.id }, data: { suspendedUntil: new Date(Date.now() + offsetMs) } });
    await setUntil(HOUR);
    expect((await meWith(target.token)).status).toBe(401);
    expect((await meWith(key)).status).toBe(401);
    await setUntil(-1000);
    expect((await meWith(target.token)).status).toBe(200);
    expect((await meWith(key)).status).toBe(200);
    expect((await tokenFor(target.user.username, PASSWORD)).status).toBe(200);
  });

  it("is lifted by null: audited as the admin and mailed", async () => {
    const target = await suspendedUser("lifted");
    const response = await patch(target.user.id, { suspendedUntil: null });
    expect(response.status).toBe(200);
    expect((await tokenFor(target.user.username, PASSWORD)).status).toBe(200);
    expect(await database.prisma.auditEvent.count({ where: { type: "user.unsuspend", targetId: target.user.id, actorId: admin.user.id } })).toBe(1);
    expect(await database.prisma.outboxMail.count({ where: { recipient: target.user.email, kind: "suspension_lifted" } })).toBe(1);
  });

  it("refuses a time in the past, a non-time, a reason without a time, an admin suspending themself and non-admins", async () => {
    const target = await createUserWithToken("invalid");
    for (const json of [
      { suspendedUntil: new Date(Date.now() - HOUR).toISOString() },
      { suspendedUntil: "tomorrow" },
      { suspensionReason: "no time" },
      { suspendedUntil: null, suspensionReason: "lifting" },
    ]) {
      const response = await patch(target.user.id, json);
      expect(response.status, JSON.stringify(json)).toBe(400);
      expect((await response.json()).error.code).toBe("validation_error");
    }
    const soon = new Date(Date.now() + HOUR).toISOString();
    expect((await patch(admin.user.id, { suspendedUntil: soon })).status).toBe(403);
    expect((await patch(target.user.id, { suspendedUntil: soon }, target.token)).status).toBe(403);
    expect((await meWith(target.token)).status).toBe(200);
  });
});
