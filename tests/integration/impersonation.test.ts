import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import * as accountActions from "@/app/account/actions";
import * as apiKeyActions from "@/app/account/api-key-actions";
import * as confirmActions from "@/app/account/confirm-actions";
import * as linkProviderActions from "@/app/account/link-provider-actions";
import * as passkeyActions from "@/app/account/passkey-actions";
import * as twoFactorActions from "@/app/account/two-factor-actions";
import { logoutAction, stopViewingAction } from "@/app/(auth)/actions";
import { changeRoleAction, viewAsUserAction } from "@/app/admin/actions";
import { POST as createKeyRoute } from "@/app/api/v1/api-keys/route";
import { GET as meRoute } from "@/app/api/v1/me/route";
import { currentSession, requireRole } from "@/lib/dal/session";
import { drainMail } from "@/lib/services/mail-queue";
import { listAuditEvents } from "@/lib/services/audit";
import { startImpersonation, stopImpersonation } from "@/lib/services/impersonation";
import { confirmEmailAction } from "@/app/(auth)/email-actions";
import { setLocaleAction } from "@/app/locale/actions";
import { VERIFY_EMAIL_TOKEN_TTL_SECONDS } from "@/lib/crypto/email-token";
import { initialFormState } from "@/lib/forms/form-state";
import { issueEmailToken } from "@/lib/services/email-tokens";
import { listOwnActivity } from "@/lib/services/own-activity";
import { IMPERSONATION_MAX_AGE_SECONDS } from "@/lib/services/session-config";
import { endUserSessions, listUserSessions } from "@/lib/services/sessions";
import { sessionOf, signInThroughAuthJs, signInThroughProvider, signOutThroughAuthJs } from "../support/auth-js";
import { freshDatabase, type TestDatabase } from "../support/database";
import { form, redirectOf } from "../support/server-actions";
import { ORIGIN, PASSWORD, TEST_ADDRESS, TEST_CONTEXT, createAdminWithToken, createUserWithToken, noContext, peerHeaders, request } from "../support/http";

/**
 * The browser these tests drive: one cookie jar whose session cookie `auth()` reads through the real Auth.js session
 * check (jwt callback included), and whose `signIn`/`signOut` go through Auth.js's own callback routes. So every
 * server action and cookie-authenticated route below meets the session exactly as a browser's request would.
 */
const browser = vi.hoisted(() => ({ cookie: null as string | null, jar: new Map<string, string>(), failNextSignIn: false }));

vi.mock("@/auth", async () => {
  const authJs = await import("../support/auth-js");
  const { CredentialsSignin } = await import("next-auth");
  return {
    auth: async () => (browser.cookie ? authJs.sessionOf(browser.cookie) : null),
    signIn: async (provider: string, options: Record<string, unknown>) => {
      const fields = Object.fromEntries(Object.entries(options).filter(([key]) => key !== "redirect" && key !== "redirectTo")) as Record<string, string>;
      const cookie = browser.failNextSignIn ? undefined : await authJs.signInThroughProvider(provider, fields);
      browser.failNextSignIn = false;
      if (!cookie) throw new CredentialsSignin();
      browser.cookie = cookie;
    },
    signOut: async () => {
      if (browser.cookie) await authJs.signOutThroughAuthJs(browser.cookie);
      browser.cookie = null;
    },
    handlers: {},
  };
});

vi.mock("next/navigation", async () => (await import("../support/server-actions")).navigationMock);
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ ...peerHeaders(TEST_ADDRESS), "user-agent": "vitest" }),
  cookies: async () => ({
    get: (name: string) => (browser.jar.has(name) ? { name, value: browser.jar.get(name)! } : undefined),
    set: (name: string, value: string) => void browser.jar.set(name, value),
    delete: (name: string | { name: string }) => void browser.jar.delete(typeof name === "string" ? name : name.name),
  }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
beforeEach(() => {
  browser.cookie = null;
});
afterAll(async () => {
  await drainMail();
  await database.dispose();
});

/** An admin signed in through Auth.js in the test browser; their browser session's id. */
async function adminInBrowser() {
  const admin = await createAdminWithToken("viewer");
  const { sessionCookie } = await signInThroughAuthJs(ORIGIN, admin.user.username, PASSWORD);
  browser.cookie = sessionCookie!.split(";")[0];
  const session = await currentSession();
  return { ...admin, sessionId: session!.sessionId };
}

const viewAs = (userId: string, reason = "helping with ticket 4711") =>
  viewAsUserAction(form({ userId, reason, returnTo: `/admin/users/${userId}` }));

/** An impersonation's cookie obtained the way the action gets it, for tests that end it in other ways. */
async function impersonationCookie(admin: { user: { id: string }; sessionId: string }, userId: string): Promise<string> {
  const { grant } = await startImpersonation({ id: admin.user.id, sessionId: admin.sessionId }, userId, "checking a report", TEST_CONTEXT);
  const cookie = await signInThroughProvider("impersonation", { grant });
  expect((await sessionOf(cookie!))?.impersonation).toBe(true);
  return cookie!;
}

describe("view as this user", () => {
  it("opens a read-only session of the user's for 30 minutes, audited as the admin and shown in the user's activity, never in their session list", async () => {
    const { user } = await createUserWithToken("viewed");
    // The user's own browser first, so that any later browser of theirs would be a new one (and mailed about).
    await signInThroughAuthJs(ORIGIN, user.username, PASSWORD);
    browser.jar.clear();
    const admin = await adminInBrowser();
    const eventsAsUser = await database.prisma.auditEvent.count({ where: { actorId: user.id } });
    const mailsToUser = await database.prisma.outboxMail.count({ where: { recipient: user.email } });

    expect(await redirectOf(viewAs(user.id))).toBe("/dashboard");
    const session = await currentSession();
    expect(session).toMatchObject({ user: { id: user.id, username: user.username, role: "USER" }, impersonation: true });

    const row = await database.prisma.session.findUniqueOrThrow({ where: { id: session!.sessionId } });
    expect(row).toMatchObject({ kind: "IMPERSONATION", userId: user.id, impersonatorSessionId: admin.sessionId, grantHash: null });
    expect(Math.abs(row.expires.getTime() - (Date.now() + IMPERSONATION_MAX_AGE_SECONDS * 1000))).toBeLessThan(60_000);

    expect((await listUserSessions(user.id)).map((listed) => listed.id)).not.toContain(row.id);
    const [started] = (await listAuditEvents({ type: "impersonation.start" }, 1, 100)).events.filter((event) => event.target?.id === user.id);
    expect(started).toMatchObject({ actor: { id: admin.user.id }, detail: { impersonationReason: "helping with ticket 4711" } });
    expect(await listOwnActivity(user.id)).toContainEqual(expect.objectContaining({ type: "impersonation.start", byAdministrator: true, ip: null }));
    // No new-device mail, no sign-in (nor anything else) recorded as the user.
    expect(await database.prisma.auditEvent.count({ where: { actorId: user.id } })).toBe(eventsAsUser);
    expect(await database.prisma.outboxMail.count({ where: { recipient: user.email } })).toBe(mailsToUser);
  });

  it("while viewing, every account action, /admin and every change through the API are refused; reading works", async () => {
    await adminInBrowser();
    const { user } = await createUserWithToken("readonly");
    await redirectOf(viewAs(user.id));
    const before = await database.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    const eventsAsUser = await database.prisma.auditEvent.count({ where: { actorId: user.id } });

    const actions = { ...accountActions, ...apiKeyActions, ...confirmActions, ...linkProviderActions, ...passkeyActions, ...twoFactorActions };
    const data = form({ currentPassword: PASSWORD, newPassword: "a different passphrase here", password: PASSWORD, email: "else@example.com", name: "k", id: "x", provider: "oidc" });
    for (const [name, action] of Object.entries(actions)) {
      if (name === "signInAgainAction") continue; // signs out: the way out, not a change
      expect(await redirectOf((action as (...args: unknown[]) => Promise<unknown>)(data, data)), name).toBe("/account?notice=viewing-read-only");
    }
    await expect(requireRole("USER", "/dashboard")).rejects.toThrow("forbidden");
    await expect(changeRoleAction(form({ userId: user.id, role: "ADMIN", returnTo: "/admin" }))).rejects.toThrow("forbidden");

    const sameOrigin = { "sec-fetch-site": "same-origin", origin: ORIGIN };
    const created = await createKeyRoute(request("/api/v1/api-keys", { method: "POST", headers: sameOrigin, json: { name: "sneaky" } }), noContext);
    expect(created.status).toBe(403);
    expect((await created.json()).error.code).toBe("forbidden");
    const me = await meRoute(request("/api/v1/me"), noContext);
    expect(me.status).toBe(200);
    expect((await me.json()).user.id).toBe(user.id);

    // The language switch works for the viewer's browser, but the user's account keeps its own language.
    expect(await redirectOf(setLocaleAction(form({ locale: "de", returnTo: "/account" })))).toBe("/account");
    const after = await database.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after).toEqual(before);
    expect(await database.prisma.apiKey.count({ where: { userId: user.id } })).toBe(0);
    expect(await database.prisma.auditEvent.count({ where: { actorId: user.id } })).toBe(eventsAsUser);
  });

  it("Stop viewing (and Log out while viewing) gives the browser the admin's own session back, on the user's page", async () => {
    for (const leave of [stopViewingAction, logoutAction]) {
      const admin = await adminInBrowser();
      const { user } = await createUserWithToken("stop");
      const eventsAsUser = await database.prisma.auditEvent.count({ where: { actorId: user.id } });
      await redirectOf(viewAs(user.id));
      const viewing = browser.cookie!;

      expect(await redirectOf(leave())).toBe(`/admin/users/${user.id}?notice=impersonation-ended`);
      expect(await currentSession()).toMatchObject({ user: { id: admin.user.id, role: "ADMIN" }, sessionId: admin.sessionId, impersonation: false });
      expect(await sessionOf(viewing)).toBeNull();
      const stopped = (await listAuditEvents({ type: "impersonation.stop" }, 1, 100)).events.filter((event) => event.target?.id === user.id);
      expect(stopped).toHaveLength(1);
      expect(stopped[0].actor?.id).toBe(admin.user.id);
      expect(await database.prisma.auditEvent.count({ where: { actorId: user.id } })).toBe(eventsAsUser);
    }
  });

  it("is refused without a reason, for an admin or a locked or suspended account, and outside sudo mode", async () => {
    const admin = await adminInBrowser();
    const { user } = await createUserWithToken("refused");
    const other = await createAdminWithToken("otheradmin");
    const locked = (await createUserWithToken("lockedview")).user;
    await database.prisma.user.update({ where: { id: locked.id }, data: { lockedAt: new Date() } });
    const suspended = (await createUserWithToken("suspview")).user;
    await database.prisma.user.update({ where: { id: suspended.id }, data: { suspendedUntil: new Date(Date.now() + 3600_000) } });

    expect(await redirectOf(viewAs(user.id, "  "))).toBe(`/admin/users/${user.id}?notice=impersonation-reason-required`);
    for (const target of [other.user.id, locked.id, suspended.id]) {
      expect(await redirectOf(viewAs(target))).toBe(`/admin/users/${target}?notice=impersonation-refused`);
    }
    await database.prisma.session.update({ where: { id: admin.sessionId }, data: { authenticatedAt: new Date(Date.now() - 11 * 60_000) } });
    expect(await redirectOf(viewAs(user.id))).toBe(`/account/confirm?returnTo=${encodeURIComponent(`/admin/users/${user.id}`)}`);
    expect(await database.prisma.session.count({ where: { kind: "IMPERSONATION", impersonatorSessionId: admin.sessionId } })).toBe(0);
    expect((await currentSession())?.user.id).toBe(admin.user.id);
  });

  it("a confirmation link of the user's, opened while viewing, confirms nothing", async () => {
    await adminInBrowser();
    const { user } = await createUserWithToken("viewlink");
    const token = await issueEmailToken(user.id, "VERIFY_EMAIL", user.email, VERIFY_EMAIL_TOKEN_TTL_SECONDS);
    await redirectOf(viewAs(user.id));
    expect(await redirectOf(confirmEmailAction(initialFormState, form({ token })))).toBe("/account?notice=viewing-read-only");
    expect((await database.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerified).toBeNull();
  });

  it("signing out through Auth.js while viewing is a stop, audited as the admin, and ends the admin's session with it", async () => {
    const admin = await adminInBrowser();
    const { user } = await createUserWithToken("viewsignout");
    await redirectOf(viewAs(user.id));
    await signOutThroughAuthJs(browser.cookie!);
    expect(await database.prisma.session.count({ where: { id: admin.sessionId } })).toBe(0);
    expect(await database.prisma.session.count({ where: { userId: user.id, kind: "IMPERSONATION" } })).toBe(0);
    const stopped = (await listAuditEvents({ type: "impersonation.stop" }, 1, 100)).events.filter((event) => event.target?.id === user.id);
    expect(stopped.map((event) => event.actor?.id)).toEqual([admin.user.id]);
  });

  it("a hand-over that fails leaves no view open, and says so", async () => {
    const admin = await adminInBrowser();
    const { user } = await createUserWithToken("viewfail");
    browser.failNextSignIn = true;
    expect(await redirectOf(viewAs(user.id))).toBe(`/admin/users/${user.id}?notice=failed`);
    expect(await database.prisma.session.count({ where: { impersonatorSessionId: admin.sessionId } })).toBe(0);
    expect((await currentSession())?.user.id).toBe(admin.user.id);
    expect((await listAuditEvents({ type: "impersonation.stop" }, 1, 100)).events.filter((event) => event.target?.id === user.id)).toHaveLength(1);
  });

  it("two stops at once: one ends the view and is audited, the other finds nothing", async () => {
    const admin = await adminInBrowser();
    const { user } = await createUserWithToken("viewtwice");
    await redirectOf(viewAs(user.id));
    const viewingSessionId = (await currentSession())!.sessionId;
    const outcomes = await Promise.all([stopImpersonation(viewingSessionId, TEST_CONTEXT), stopImpersonation(viewingSessionId, TEST_CONTEXT)]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect((await listAuditEvents({ type: "impersonation.stop" }, 1, 100)).events.filter((event) => event.target?.id === user.id)).toHaveLength(1);
    expect(await database.prisma.session.count({ where: { id: admin.sessionId } })).toBe(1);
  });

  it("the language switch, signed in as oneself, is stored on the account (its mails follow it)", async () => {
    const admin = await adminInBrowser();
    expect(await redirectOf(setLocaleAction(form({ locale: "de", returnTo: "/admin" })))).toBe("/admin");
    expect((await database.prisma.user.findUniqueOrThrow({ where: { id: admin.user.id } })).locale).toBe("de");
    expect(browser.jar.get("locale")).toBe("de");
  });

  it("a grant opens its session once; a made-up one opens nothing", async () => {
    const admin = await adminInBrowser();
    const { user } = await createUserWithToken("grant");
    const { grant } = await startImpersonation({ id: admin.user.id, sessionId: admin.sessionId }, user.id, "checking a report", TEST_CONTEXT);
    expect(await signInThroughProvider("impersonation", { grant: "A".repeat(43) })).toBeUndefined();
    expect(await signInThroughProvider("impersonation", { grant })).toBeDefined();
    expect(await signInThroughProvider("impersonation", { grant })).toBeUndefined();
  });

  const ENDINGS: Record<string, (ids: { adminId: string; userId: string }) => Promise<unknown>> = {
    "30 minutes pass": ({ userId }) => database.prisma.session.updateMany({ where: { userId, kind: "IMPERSONATION" }, data: { expires: new Date(Date.now() - 1000) } }),
    "the admin logs out everywhere": ({ adminId }) => endUserSessions(adminId),
    "the admin loses the admin role": ({ adminId }) => database.prisma.user.update({ where: { id: adminId }, data: { role: "USER" } }),
    "the admin is locked": ({ adminId }) => database.prisma.user.update({ where: { id: adminId }, data: { lockedAt: new Date() } }),
    "the user becomes an admin": ({ userId }) => database.prisma.user.update({ where: { id: userId }, data: { role: "ADMIN" } }),
    "the user logs out everywhere": ({ userId }) => endUserSessions(userId),
  };

  it.each(Object.keys(ENDINGS))("ends when %s", async (ending) => {
    const admin = await adminInBrowser();
    const { user } = await createUserWithToken("ending");
    const cookie = await impersonationCookie(admin, user.id);
    await ENDINGS[ending]({ adminId: admin.user.id, userId: user.id });
    expect(await sessionOf(cookie)).toBeNull();
  });
});
