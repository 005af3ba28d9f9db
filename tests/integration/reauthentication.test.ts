import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { confirmAccessAction } from "@/app/account/confirm-actions";
import { createApiKeyAction } from "@/app/account/api-key-actions";
import { deleteAccountAction } from "@/app/account/actions";
import { changeRoleAction } from "@/app/admin/actions";
import { GET as exportAuditRoute } from "@/app/admin/audit/export/route";
import { GET as exportUsersRoute } from "@/app/admin/users/export/route";
import { DELETE as adminDeleteUser, PATCH as adminPatchUser } from "@/app/api/v1/admin/users/[id]/route";
import { DELETE as deleteKey } from "@/app/api/v1/api-keys/[id]/route";
import { POST as createKey } from "@/app/api/v1/api-keys/route";
import { POST as changePasswordRoute } from "@/app/api/v1/auth/password/change/route";
import { issueAccessToken, verifyAccessToken } from "@/lib/crypto/access-token";
import { totpCode, totpStep } from "@/lib/crypto/totp";
import { env } from "@/lib/env";
import { initialFormState } from "@/lib/forms/form-state";
import { drainMail } from "@/lib/services/mail-queue";
import { deleteOwnAccount } from "@/lib/services/accounts";
import { listAuditEvents, type AuditEventType } from "@/lib/services/audit";
import { requestEmailChange } from "@/lib/services/email-flows";
import { passkeyRegistrationOptions } from "@/lib/services/passkeys";
import { createSession } from "@/lib/services/sessions";
import { confirmTwoFactorEnrollment, regenerateRecoveryCodes, startTwoFactorEnrollment } from "@/lib/services/two-factor";
import { freshDatabase, type TestDatabase } from "../support/database";
import { Redirected, form } from "../support/server-actions";
import {
  PASSWORD,
  TEST_ADDRESS,
  TEST_CONTEXT,
  createAdminWithToken,
  createUserWithToken,
  idContext,
  noContext,
  request,
  setEnv,
  uniqueName,
  peerHeaders,
} from "../support/http";

/** The browser session the mocked `auth()` reports: server actions and cookie-authenticated routes see this. */
let browserSession: { user: { id: string; username: string; email: string; role: "USER" | "ADMIN"; unverified: false }; sessionId: string } | null = null;

vi.mock("@/auth", () => ({
  auth: async () => browserSession,
  signIn: async () => {},
  signOut: async () => {},
  handlers: {},
}));

vi.mock("next/navigation", async () => (await import("../support/server-actions")).navigationMock);
vi.mock("next/headers", () => ({ headers: async () => new Headers({ ...peerHeaders(TEST_ADDRESS), "user-agent": "vitest" }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterEach(() => {
  browserSession = null;
});
afterAll(async () => {
  await drainMail();
  await database.dispose();
});

const ELEVEN_MINUTES_MS = 11 * 60 * 1000;
const backoffAfter = () => env().LOGIN_BACKOFF_AFTER_FAILURES;

const changePassword = (token: string, currentPassword: string, context?: { ip: string }) =>
  changePasswordRoute(
    request("/api/v1/auth/password/change", {
      method: "POST",
      token,
      json: { currentPassword, newPassword: "a brand new passphrase for this" },
      ...(context && { headers: peerHeaders(context.ip) }),
    }),
    noContext,
  );

/** How many times it happened: repeats of a refusal or failure are merged into one event with a count. */
async function auditCount(userId: string, type: AuditEventType): Promise<number> {
  return (await listAuditEvents({ user: userId, type }, 1, 100)).events.reduce((sum, event) => sum + event.count, 0);
}

async function rejection(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error("expected a refusal");
    },
    (error: unknown) => error as { status: number; code: string; fields?: Record<string, string[]>; headers?: Record<string, string> },
  );
}

/** A token for the same session row, as if its password had been checked `ageMs` ago. */
async function agedToken(token: string, ageMs: number): Promise<string> {
  const claims = (await verifyAccessToken(token))!;
  return issueAccessToken({ ...claims, authTime: Math.floor((Date.now() - ageMs) / 1000) });
}

async function signInBrowser(user: { id: string; username: string; email: string; role?: "USER" | "ADMIN" }) {
  const sessionId = await createSession(user.id, "BROWSER", TEST_CONTEXT);
  browserSession = { user: { id: user.id, username: user.username, email: user.email, role: user.role ?? "USER", unverified: false }, sessionId };
  return sessionId;
}

async function ageBrowserSession(sessionId: string) {
  await database.prisma.session.update({ where: { id: sessionId }, data: { authenticatedAt: new Date(Date.now() - ELEVEN_MINUTES_MS) } });
}

const STEP_MS = 30_000;
const codeAt = (secret: string, offsetSteps = 0) => totpCode(secret, totpStep(Date.now() + offsetSteps * STEP_MS));

describe("the password asked again inside a session is throttled like a sign-in", () => {
  it("POST /api/v1/auth/password/change: 401 invalid_credentials on the field, then 429 with Retry-After, even for the right password", async () => {
    const alice = await createUserWithToken("pwchange");
    for (let i = 0; i < backoffAfter(); i++) {
      const wrong = await changePassword(alice.token, `wrong guess number ${i}`);
      expect(wrong.status).toBe(401);
      const body = await wrong.json();
      expect(body.error.code).toBe("invalid_credentials");
      expect(body.error.fields.currentPassword).toEqual(["Current password is incorrect"]);
    }
    const blocked = await changePassword(alice.token, "yet another wrong guess");
    expect(blocked.status).toBe(429);
    expect((await blocked.json()).error.code).toBe("rate_limited");
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    const rightButBlocked = await changePassword(alice.token, PASSWORD);
    expect(rightButBlocked.status).toBe(429);

    const failures = await listAuditEvents({ user: alice.user.id, type: "reauth.failure" }, 1, 100);
    // One client's failures are one event with a count.
    expect(failures.total).toBe(1);
    expect(failures.events[0].count).toBe(backoffAfter());
    expect(failures.events[0].detail).toMatchObject({ purpose: "password_change", reason: "wrong_password" });
    expect(await auditCount(alice.user.id, "reauth.throttled")).toBe(2);
    expect(await auditCount(alice.user.id, "password.change")).toBe(0);
  });

  it("a right password clears the count, like a sign-in, and is audited", async () => {
    const bob = await createUserWithToken("pwclear");
    for (let i = 0; i < backoffAfter() - 1; i++) expect((await changePassword(bob.token, `wrong ${i}`)).status).toBe(401);
    expect((await changePassword(bob.token, PASSWORD)).status).toBe(204);
    expect(await auditCount(bob.user.id, "reauth.success")).toBe(1);
    // Had the count survived, this would be the attempt that backs off.
    for (let i = 0; i < backoffAfter() - 1; i++) expect((await changePassword(bob.token, `wrong again ${i}`)).status).toBe(401);
  });

  it("deleting the account: the same 401 on `password`, then 429, and the account stays", async () => {
    const { user } = await createUserWithToken("delete");
    for (let i = 0; i < backoffAfter(); i++) {
      expect(await rejection(deleteOwnAccount(user.id, `not it ${i}`, TEST_CONTEXT))).toMatchObject({
        status: 401,
        code: "invalid_credentials",
        fields: { password: ["Current password is incorrect"] },
      });
    }
    expect(await rejection(deleteOwnAccount(user.id, PASSWORD, TEST_CONTEXT))).toMatchObject({ status: 429, code: "rate_limited" });
    expect(await database.prisma.user.count({ where: { id: user.id } })).toBe(1);
    const failure = await listAuditEvents({ user: user.id, type: "reauth.failure" }, 1, 1);
    expect(failure.events[0].detail).toMatchObject({ purpose: "account_delete" });
  });

  it("adding a passkey and changing the email address share the account's one count", async () => {
    const { user } = await createUserWithToken("passkey");
    const attempts = backoffAfter();
    for (let i = 0; i < attempts; i++) {
      const attempt = i % 2 === 0
        ? passkeyRegistrationOptions(user.id, `nope ${i}`, TEST_CONTEXT)
        : requestEmailChange(user.id, { newEmail: uniqueName("moved").email, password: `nope ${i}` }, TEST_CONTEXT);
      expect(await rejection(attempt)).toMatchObject({ status: 401, code: "invalid_credentials", fields: { password: expect.any(Array) } });
    }
    expect(await rejection(passkeyRegistrationOptions(user.id, PASSWORD, TEST_CONTEXT))).toMatchObject({ status: 429 });
    expect(await database.prisma.webAuthnChallenge.count({ where: { userId: user.id } })).toBe(0);
  });

  it("2FA management: a right password does not buy fresh guesses at the code", async () => {
    const { user } = await createUserWithToken("totp");
    const { secret } = await startTwoFactorEnrollment(user.id);
    await confirmTwoFactorEnrollment(user.id, codeAt(secret, -1), TEST_CONTEXT);
    for (let i = 0; i < backoffAfter(); i++) {
      expect(await rejection(regenerateRecoveryCodes(user.id, PASSWORD, "000000", TEST_CONTEXT))).toMatchObject({
        status: 401,
        code: "invalid_credentials",
        fields: { code: expect.any(Array) },
      });
    }
    expect(await rejection(regenerateRecoveryCodes(user.id, PASSWORD, codeAt(secret), TEST_CONTEXT))).toMatchObject({ status: 429 });
    const failure = await listAuditEvents({ user: user.id, type: "reauth.failure" }, 1, 1);
    expect(failure.events[0].detail).toMatchObject({ purpose: "mfa_recovery_codes", reason: "wrong_code" });
  });

  it("the client's failed-login budget (an IPv6 /64 is one client) is spent across accounts and refunded by a right password", async () => {
    const users = await Promise.all([1, 2, 3, 4].map((n) => createUserWithToken(`spray${n}`)));
    setEnv({ RATE_LIMIT_LOGIN_FAILURES_PER_IP: "3/15m" });
    try {
      // Every request from another address of the same /64.
      let host = 0;
      const sameNetwork = () => ({ ip: `2001:db8:5:6::${(host += 1)}` });
      expect((await changePassword(users[0].token, PASSWORD, sameNetwork())).status).toBe(204);
      for (const victim of users.slice(0, 3)) expect((await changePassword(victim.token, "a sprayed guess", sameNetwork())).status).toBe(401);
      const refused = await changePassword(users[3].token, "a sprayed guess", sameNetwork());
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await auditCount(users[3].user.id, "reauth.rate_limited")).toBe(1);
      // Another network is not affected.
      expect((await changePassword(users[3].token, "a sprayed guess", { ip: "2001:db8:5:7::1" })).status).toBe(401);
    } finally {
      setEnv({ RATE_LIMIT_LOGIN_FAILURES_PER_IP: "100000/15m" });
    }
  });
});

describe("sudo mode through the API", () => {
  const create = (token: string) => createKey(request("/api/v1/api-keys", { method: "POST", token, json: { name: "ci" } }), noContext);

  it("an access token whose auth_time is older than the window can't create or revoke keys; a fresh one can", async () => {
    const carol = await createUserWithToken("sudoapi");
    const created = await create(carol.token);
    expect(created.status).toBe(201);
    const { apiKey } = await created.json();

    const stale = await agedToken(carol.token, ELEVEN_MINUTES_MS);
    const refused = await create(stale);
    expect(refused.status).toBe(403);
    expect((await refused.json()).error).toEqual({ code: "reauthentication_required", message: "Confirm your password again to do this" });
    const revoke = await deleteKey(request(`/api/v1/api-keys/${apiKey.id}`, { method: "DELETE", token: stale }), idContext(apiKey.id));
    expect(revoke.status).toBe(403);
    expect(await database.prisma.apiKey.count({ where: { userId: carol.user.id } })).toBe(1);

    expect((await create(await agedToken(carol.token, 9 * 60 * 1000))).status).toBe(201);
  });

  it("the window is AUTH_SUDO_WINDOW", async () => {
    const dave = await createUserWithToken("sudowindow");
    setEnv({ AUTH_SUDO_WINDOW: "1h" });
    try {
      expect((await create(await agedToken(dave.token, ELEVEN_MINUTES_MS))).status).toBe(201);
      expect((await create(await agedToken(dave.token, 61 * 60 * 1000))).status).toBe(403);
    } finally {
      setEnv({ AUTH_SUDO_WINDOW: undefined });
    }
  });

  it("the session cookie: the session's last authentication decides", async () => {
    const { user } = await createUserWithToken("sudocookie");
    const sessionId = await signInBrowser(user);
    const viaCookie = () => createKey(request("/api/v1/api-keys", { method: "POST", json: { name: "from the browser" } }), noContext);
    expect((await viaCookie()).status).toBe(201);
    await ageBrowserSession(sessionId);
    const refused = await viaCookie();
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe("reauthentication_required");
  });

  it("admin API: a role change and a deletion need it, a lock does not, an API key is let through as before", async () => {
    const admin = await createAdminWithToken("sudoadmin");
    const target = await createUserWithToken("sudotarget");
    const stale = await agedToken(admin.token, ELEVEN_MINUTES_MS);
    const patch = (token: string, json: unknown) =>
      adminPatchUser(request(`/api/v1/admin/users/${target.user.id}`, { method: "PATCH", token, json }), idContext(target.user.id));
    const remove = (token: string) =>
      adminDeleteUser(request(`/api/v1/admin/users/${target.user.id}`, { method: "DELETE", token }), idContext(target.user.id));

    const roleRefused = await patch(stale, { role: "ADMIN" });
    expect(roleRefused.status).toBe(403);
    expect((await roleRefused.json()).error.code).toBe("reauthentication_required");
    expect((await database.prisma.user.findUniqueOrThrow({ where: { id: target.user.id } })).role).toBe("USER");
    expect((await patch(stale, { locked: false })).status).toBe(200);
    expect((await remove(stale)).status).toBe(403);
    expect(await database.prisma.user.count({ where: { id: target.user.id } })).toBe(1);

    const scoped = await createKey(
      request("/api/v1/api-keys", { method: "POST", token: admin.token, json: { name: "ops", scopes: ["admin:users:write"] } }),
      noContext,
    );
    const { key } = await scoped.json();
    expect((await patch(key, { role: "ADMIN" })).status).toBe(200);
    expect((await remove(admin.token)).status).toBe(204);
  });
});

describe("sudo mode in the browser: the confirm page", () => {
  it("an action outside the window does nothing and goes to the confirm page; the password there brings it back", async () => {
    const { user } = await createUserWithToken("confirm");
    const sessionId = await signInBrowser(user);
    await ageBrowserSession(sessionId);

    const outside = await rejection(createApiKeyAction(initialFormState, form({ name: "too late", scopes: "profile:read" })));
    expect(outside).toBeInstanceOf(Redirected);
    expect((outside as unknown as Redirected).location).toBe("/account/confirm?returnTo=%2Faccount");
    expect(await database.prisma.apiKey.count({ where: { userId: user.id } })).toBe(0);
    const deleting = await rejection(deleteAccountAction(initialFormState, form({ password: PASSWORD })));
    expect((deleting as unknown as Redirected).location).toBe("/account/confirm?returnTo=%2Faccount");
    expect(await database.prisma.user.count({ where: { id: user.id } })).toBe(1);

    const wrong = await confirmAccessAction(initialFormState, form({ password: "not my password at all", returnTo: "/account" }));
    expect(wrong).toMatchObject({ status: "error", fieldErrors: { password: ["Current password is incorrect"] } });
    expect(JSON.stringify(wrong)).not.toContain("not my password at all");
    const confirmed = await rejection(confirmAccessAction(initialFormState, form({ password: PASSWORD, returnTo: "/account" })));
    expect((confirmed as unknown as Redirected).location).toBe("/account");
    const failure = await listAuditEvents({ user: user.id, type: "reauth.failure" }, 1, 1);
    expect(failure.events[0].detail).toMatchObject({ purpose: "confirm_access" });
    expect(await auditCount(user.id, "reauth.success")).toBe(1);

    const created = await createApiKeyAction(initialFormState, form({ name: "in time", scopes: "profile:read" }));
    expect(created).toMatchObject({ status: "success", key: expect.stringMatching(/^lk_/) });
  });

  it("with 2FA on, the confirm page wants the code too: a stolen cookie and a reused password don't get sudo mode", async () => {
    const { user } = await createUserWithToken("confirm2fa");
    const { secret } = await startTwoFactorEnrollment(user.id);
    await confirmTwoFactorEnrollment(user.id, codeAt(secret, -1), TEST_CONTEXT);
    const sessionId = await signInBrowser(user);
    await ageBrowserSession(sessionId);

    const passwordOnly = await confirmAccessAction(initialFormState, form({ password: PASSWORD, returnTo: "/account" }));
    expect(passwordOnly).toMatchObject({ status: "error", fieldErrors: { code: expect.any(Array) } });
    const wrongCode = await confirmAccessAction(initialFormState, form({ password: PASSWORD, code: "000000", returnTo: "/account" }));
    expect(wrongCode).toMatchObject({ status: "error", fieldErrors: { code: expect.any(Array) } });
    const outside = await rejection(createApiKeyAction(initialFormState, form({ name: "still outside", scopes: "profile:read" })));
    expect(outside).toBeInstanceOf(Redirected);

    const both = await rejection(confirmAccessAction(initialFormState, form({ password: PASSWORD, code: codeAt(secret), returnTo: "/account" })));
    expect((both as unknown as Redirected).location).toBe("/account");
    expect(await createApiKeyAction(initialFormState, form({ name: "with both factors", scopes: "profile:read" }))).toMatchObject({ status: "success" });
  });

  it("the confirm page is throttled like the rest, and only goes back to a same-origin path", async () => {
    const { user } = await createUserWithToken("confirmthrottle");
    await signInBrowser(user);
    for (let i = 0; i < backoffAfter(); i++) {
      expect(await confirmAccessAction(initialFormState, form({ password: `wrong ${i}`, returnTo: "/account" }))).toMatchObject({ status: "error" });
    }
    const blocked = await confirmAccessAction(initialFormState, form({ password: PASSWORD, returnTo: "/account" }));
    expect(blocked).toMatchObject({ status: "error", message: expect.stringMatching(/^Too many attempts\. Try again in/) });

    const { user: other } = await createUserWithToken("confirmredirect");
    await signInBrowser(other);
    const away = await rejection(confirmAccessAction(initialFormState, form({ password: PASSWORD, returnTo: "//evil.example/account" })));
    expect((away as unknown as Redirected).location).toBe("/dashboard");
  });

  it("admin dashboard: a role change outside the window goes to the confirm page and back to the admin page", async () => {
    const admin = await createAdminWithToken("dashadmin");
    const target = await createUserWithToken("dashtarget");
    const sessionId = await signInBrowser({ ...admin.user, role: "ADMIN" });
    await ageBrowserSession(sessionId);
    const returnTo = `/admin/users/${target.user.id}`;
    const outcome = await rejection(changeRoleAction(form({ userId: target.user.id, role: "ADMIN", returnTo })));
    expect((outcome as unknown as Redirected).location).toBe(`/account/confirm?returnTo=${encodeURIComponent(returnTo)}`);
    expect((await database.prisma.user.findUniqueOrThrow({ where: { id: target.user.id } })).role).toBe("USER");
  });
});

describe("admin exports (every address leaves with one) take the admin role and sudo mode", () => {
  const EXPORTS = [
    [exportUsersRoute, "/admin/users/export?query=export"],
    [exportAuditRoute, "/admin/audit/export?type=login.failure&format=jsonl"],
  ] as const;

  it("a user is forbidden; an admin outside the window is sent to confirm and back to the same export, which then downloads", async () => {
    const { user } = await createUserWithToken("exportuser");
    await signInBrowser(user);
    for (const [route, path] of EXPORTS) await expect(route(request(path))).rejects.toThrow("forbidden");

    const { user: admin } = await createAdminWithToken("exportadmin");
    const sessionId = await signInBrowser({ ...admin, role: "ADMIN" });
    await ageBrowserSession(sessionId);
    for (const [route, path] of EXPORTS) {
      const outside = await rejection(route(request(path)));
      expect(outside).toBeInstanceOf(Redirected);
      expect((outside as unknown as Redirected).location).toBe(`/account/confirm?returnTo=${encodeURIComponent(path)}`);
    }
    expect(await auditCount(admin.id, "export.users")).toBe(0);

    const confirmed = await rejection(confirmAccessAction(initialFormState, form({ password: PASSWORD, returnTo: EXPORTS[0][1] })));
    expect((confirmed as unknown as Redirected).location).toBe(EXPORTS[0][1]);
    for (const [route, path] of EXPORTS) expect((await route(request(path))).status).toBe(200);
    expect(await auditCount(admin.id, "export.users")).toBe(1);
  });
});
