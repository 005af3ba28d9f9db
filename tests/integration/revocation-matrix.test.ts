import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELETE as deleteUserRoute, PATCH as patchUser } from "@/app/api/v1/admin/users/[id]/route";
import { POST as changePasswordRoute } from "@/app/api/v1/auth/password/change/route";
import { POST as resetPasswordRoute } from "@/app/api/v1/auth/password/reset/route";
import { POST as verifyEmailRoute } from "@/app/api/v1/auth/email/verify/route";
import { POST as revokeRoute } from "@/app/api/v1/auth/revoke/route";
import { POST as tokenRoute } from "@/app/api/v1/auth/token/route";
import { GET as me } from "@/app/api/v1/me/route";
import { CHANGE_EMAIL_TOKEN_TTL_SECONDS, RESET_TOKEN_TTL_SECONDS, VERIFY_EMAIL_TOKEN_TTL_SECONDS } from "@/lib/crypto/email-token";
import { authConfig } from "@/lib/auth/config";
import { totpCode, totpStep } from "@/lib/crypto/totp";
import { env } from "@/lib/env";
import { endSessionsForUser } from "@/lib/services/admin";
import { createUserApiKey } from "@/lib/services/api-keys";
import { issueEmailToken } from "@/lib/services/email-tokens";
import { passkeyAuthenticationOptions } from "@/lib/services/passkeys";
import { issueTokenForCredentials } from "@/lib/services/tokens";
import { startImpersonation, stopImpersonation } from "@/lib/services/impersonation";
import { endUserSessions } from "@/lib/services/sessions";
import { confirmTwoFactorEnrollment, createMfaChallenge, resetTwoFactorByAdmin, startTwoFactorEnrollment } from "@/lib/services/two-factor";
import {
  completeChallengeThroughAuthJs,
  passkeySignInThroughAuthJs,
  sessionOf,
  sessionUserId,
  signInThroughAuthJs,
  signInThroughProvider,
  signOutThroughAuthJs,
} from "../support/auth-js";
import { freshDatabase, type TestDatabase } from "../support/database";
import { ORIGIN, PASSWORD, TEST_CONTEXT, createAdminWithToken, createUsersDirectly, idContext, noContext, request } from "../support/http";
import { SoftAuthenticator } from "../support/soft-authenticator";

/**
 * What ends what: every credential a person (or a thief) can hold, against every event that may end it, each cell
 * asserted through the entry point that credential is used at: the Auth.js session check behind every page, the
 * API, the 2FA and passkey sign-in callbacks, the identity-provider sign-in (adapter lookup, `signIn` and `jwt`
 * callbacks), and the routes that take mailed links. The "What ends what" table of docs/security.md is this table.
 */
const CREDENTIALS = [
  "browser session",
  "access token",
  "refresh token",
  "API key",
  "pending 2FA sign-in",
  "passkey",
  "linked provider",
  "reset link",
  "verification link",
  "email-change link",
  "admin viewing as the user",
] as const;
type Credential = (typeof CREDENTIALS)[number];

const E = "ends" as const;
const S = "survives" as const;
type Outcome = typeof E | typeof S;

/** One row per event, one column per credential, in the order of CREDENTIALS. */
const MATRIX: Record<string, Outcome[]> = {
  //                              session token refresh key 2FA-step passkey provider reset verify change viewing
  "logout (in that browser)": /*  */ [E, S, S, S, S, S, S, S, S, S, S],
  "log out everywhere": /*        */ [E, E, E, S, E, S, S, S, S, E, E],
  "password change": /*           */ [E, E, E, S, E, S, S, E, S, E, E],
  "password reset": /*            */ [E, E, E, S, E, S, S, E, S, E, E],
  "email change": /*              */ [S, S, S, S, S, S, S, E, E, E, S],
  "first proof of the address": /**/ [E, E, E, E, E, E, E, E, E, E, E],
  "admin: revoke sessions": /*    */ [E, E, E, S, E, S, S, S, S, E, E],
  "admin: lock": /*               */ [E, E, E, E, E, E, E, S, S, E, E],
  "admin: suspend": /*            */ [E, E, E, E, E, E, E, S, S, E, E],
  "admin: role change": /*        */ [S, S, S, S, S, S, S, S, S, S, E],
  "admin: reset 2FA": /*          */ [E, E, E, S, E, S, S, S, S, E, E],
  "admin: delete": /*             */ [E, E, E, E, E, E, E, E, E, E, E],
  "admin: stop viewing": /*       */ [S, S, S, S, S, S, S, S, S, S, E],
  "viewing admin: log out everywhere": [S, S, S, S, S, S, S, S, S, S, E],
  "idle timeout": /*              */ [E, S, E, S, S, S, S, S, S, S, E],
  expiry: /*                      */ [E, E, E, E, E, S, S, E, E, E, E],
};

const NEW_PASSWORD = "a completely different passphrase now";
const PROVIDER = "oidc";

/** Everything one account holds at once, each obtained the way a person gets it. */
type Holdings = {
  userId: string;
  email: string;
  cookie: string;
  token: string;
  /** The refresh token handed out with `token`. */
  refreshToken: string;
  /** A second device's token, used to act (change the password, log out everywhere). */
  actorToken: string;
  apiKey: string;
  challenge: string;
  recoveryCode: string;
  passkey: SoftAuthenticator;
  providerAccountId: string;
  resetLink: string;
  verifyLink: string;
  changeLink: string;
  /** The browser of an admin viewing as the user ("View as this user"). */
  viewingCookie: string;
};

let database: TestDatabase;
let admin: { id: string; username: string; token: string };

beforeAll(async () => {
  database = await freshDatabase();
  const created = await createAdminWithToken("matrixadmin");
  admin = { id: created.user.id, username: created.user.username, token: created.token };
});
afterAll(async () => {
  await database.dispose();
});

async function hold({ verified }: { verified: boolean }): Promise<Holdings> {
  const [{ id: userId, username }] = await createUsersDirectly(1, "matrix");
  const { email } = await database.prisma.user.update({ where: { id: userId }, data: { emailVerified: verified ? new Date() : null }, select: { email: true } });
  const { sessionCookie } = await signInThroughAuthJs(ORIGIN, username, PASSWORD);
  const { access_token: token, refresh_token: refreshToken } = await issueTokenForCredentials(username, PASSWORD, TEST_CONTEXT);
  const actorToken = (await issueTokenForCredentials(username, PASSWORD, TEST_CONTEXT)).access_token;
  const { key: apiKey } = await createUserApiKey(userId, { name: "matrix", expiresInDays: 30 }, TEST_CONTEXT);
  // 2FA last: from here on a password alone signs nobody in, so every other credential was obtained first.
  const { secret } = await startTwoFactorEnrollment(userId);
  const [recoveryCode] = await confirmTwoFactorEnrollment(userId, totpCode(secret, totpStep()), TEST_CONTEXT);
  const challenge = await createMfaChallenge(userId);
  const passkey = new SoftAuthenticator();
  await passkey.registerFor(userId);
  const providerAccountId = `idp-${userId}`;
  await database.prisma.account.create({ data: { userId, type: "oidc", provider: PROVIDER, providerAccountId } });
  const resetLink = await issueEmailToken(userId, "RESET_PASSWORD", email, RESET_TOKEN_TTL_SECONDS);
  const verifyLink = await issueEmailToken(userId, "VERIFY_EMAIL", email, VERIFY_EMAIL_TOKEN_TTL_SECONDS);
  const changeLink = await issueEmailToken(userId, "CHANGE_EMAIL", `moved.${email}`, CHANGE_EMAIL_TOKEN_TTL_SECONDS);
  const adminCookie = (await signInThroughAuthJs(ORIGIN, admin.username, PASSWORD)).sessionCookie!.split(";")[0];
  const viewingAdminSessionId = String((await sessionOf(adminCookie))!.sessionId);
  const { grant } = await startImpersonation({ id: admin.id, sessionId: viewingAdminSessionId }, userId, "matrix", TEST_CONTEXT);
  const viewingCookie = (await signInThroughProvider("impersonation", { grant }))!;
  return {
    ...{ userId, email, cookie: sessionCookie!.split(";")[0], token, refreshToken, actorToken, apiKey, challenge, recoveryCode, passkey },
    ...{ providerAccountId, resetLink, verifyLink, changeLink, viewingCookie },
  };
}

const status = (response: Response) => response.status;
const apiKeyOrTokenWorks = async (bearer: string) => status(await me(request("/api/v1/me", { token: bearer }), noContext)) === 200;

/** The identity-provider sign-in as Auth.js runs it: find the user by the provider account, then both callbacks. */
async function providerSignsIn(holdings: Holdings): Promise<boolean> {
  const config = authConfig();
  const user = await config.adapter!.getUserByAccount!({ provider: PROVIDER, providerAccountId: holdings.providerAccountId });
  if (!user) return false;
  const account = { provider: PROVIDER, providerAccountId: holdings.providerAccountId, type: "oidc" as const };
  const profile = { email: user.email, email_verified: true };
  if ((await config.callbacks!.signIn!({ user, account, profile } as never)) !== true) return false;
  const claims = await config.callbacks!.jwt!({ token: {}, user, account, profile, trigger: "signIn" } as never);
  return claims?.sub === holdings.userId;
}

const postJson = (path: string, json: unknown, token?: string) => request(path, { method: "POST", json, token });

/** Each probe uses the credential once, as its holder would; true when it still gets them in (or does its job). */
const PROBES: Record<Credential, (holdings: Holdings) => Promise<boolean>> = {
  "browser session": async (h) => (await sessionUserId(h.cookie)) === h.userId,
  "access token": (h) => apiKeyOrTokenWorks(h.token),
  "refresh token": async (h) => {
    const body = { grant_type: "refresh_token", refresh_token: h.refreshToken };
    return status(await tokenRoute(postJson("/api/v1/auth/token", body), noContext)) === 200;
  },
  "API key": (h) => apiKeyOrTokenWorks(h.apiKey),
  "pending 2FA sign-in": async (h) => (await completeChallengeThroughAuthJs(h.challenge, h.recoveryCode)) !== undefined,
  passkey: async (h) => {
    const { challenge } = await passkeyAuthenticationOptions();
    return (await passkeySignInThroughAuthJs(h.passkey.assert(challenge))) !== undefined;
  },
  "linked provider": providerSignsIn,
  "reset link": async (h) => status(await resetPasswordRoute(postJson("/api/v1/auth/password/reset", { token: h.resetLink, password: "yet another different passphrase" }), noContext)) === 204,
  "verification link": async (h) => status(await verifyEmailRoute(postJson("/api/v1/auth/email/verify", { token: h.verifyLink }), noContext)) === 204,
  "email-change link": async (h) => status(await verifyEmailRoute(postJson("/api/v1/auth/email/verify", { token: h.changeLink }), noContext)) === 204,
  "admin viewing as the user": async (h) => (await sessionOf(h.viewingCookie))?.impersonation === true,
};

const past = () => new Date(Date.now() - 1000);

/** Each event through the entry point a person or an admin uses; `expect` that it was accepted. */
const EVENTS: Record<keyof typeof MATRIX, (h: Holdings) => Promise<void>> = {
  "logout (in that browser)": (h) => signOutThroughAuthJs(h.cookie),
  "log out everywhere": async (h) => {
    expect(status(await revokeRoute(request("/api/v1/auth/revoke", { method: "POST", token: h.actorToken }), noContext))).toBe(204);
  },
  "password change": async (h) => {
    const body = { currentPassword: PASSWORD, newPassword: NEW_PASSWORD };
    expect(status(await changePasswordRoute(postJson("/api/v1/auth/password/change", body, h.actorToken), noContext))).toBe(204);
  },
  "password reset": async (h) => {
    expect(status(await resetPasswordRoute(postJson("/api/v1/auth/password/reset", { token: h.resetLink, password: NEW_PASSWORD }), noContext))).toBe(204);
  },
  "email change": async (h) => {
    expect(status(await verifyEmailRoute(postJson("/api/v1/auth/email/verify", { token: h.changeLink }), noContext))).toBe(204);
  },
  "first proof of the address": async (h) => {
    expect(status(await verifyEmailRoute(postJson("/api/v1/auth/email/verify", { token: h.verifyLink }), noContext))).toBe(204);
  },
  "admin: revoke sessions": (h) => endSessionsForUser(admin.id, h.userId, TEST_CONTEXT),
  "admin: lock": async (h) => {
    const response = await patchUser(request(`/api/v1/admin/users/${h.userId}`, { method: "PATCH", token: admin.token, json: { locked: true } }), idContext(h.userId));
    expect(status(response)).toBe(200);
  },
  "admin: suspend": async (h) => {
    const json = { suspendedUntil: new Date(Date.now() + 3600_000).toISOString(), suspensionReason: "matrix" };
    const response = await patchUser(request(`/api/v1/admin/users/${h.userId}`, { method: "PATCH", token: admin.token, json }), idContext(h.userId));
    expect(status(response)).toBe(200);
  },
  "admin: role change": async (h) => {
    const response = await patchUser(request(`/api/v1/admin/users/${h.userId}`, { method: "PATCH", token: admin.token, json: { role: "ADMIN" } }), idContext(h.userId));
    expect(status(response)).toBe(200);
  },
  "admin: reset 2FA": (h) => resetTwoFactorByAdmin(admin.id, h.userId, TEST_CONTEXT),
  "admin: delete": async (h) => {
    expect(status(await deleteUserRoute(request(`/api/v1/admin/users/${h.userId}`, { method: "DELETE", token: admin.token }), idContext(h.userId)))).toBe(204);
  },
  "admin: stop viewing": async (h) => {
    const viewingSessionId = String((await sessionOf(h.viewingCookie))!.sessionId);
    expect(await stopImpersonation(viewingSessionId, TEST_CONTEXT)).toMatchObject({ userId: h.userId });
  },
  // What "Log out everywhere" runs for the admin (every holding's viewing session was started from one of theirs).
  "viewing admin: log out everywhere": async () => {
    await endUserSessions(admin.id);
  },
  // Past both idle limits: a browser session's, and a refresh-token family's (counted from its last refresh).
  "idle timeout": async (h) => {
    const idle = new Date(Date.now() - (Math.max(env().SESSION_IDLE_TIMEOUT, env().REFRESH_TOKEN_IDLE_TIMEOUT) + 60) * 1000);
    await database.prisma.session.updateMany({ where: { userId: h.userId }, data: { lastSeenAt: idle } });
  },
  // Time passing beyond every lifetime: sessions, tokens, keys with an expiry, 2FA steps and mailed links.
  expiry: async (h) => {
    const where = { userId: h.userId };
    await database.prisma.session.updateMany({ where, data: { expires: past() } });
    await database.prisma.apiKey.updateMany({ where, data: { expiresAt: past() } });
    await database.prisma.mfaChallenge.updateMany({ where, data: { expiresAt: past() } });
    await database.prisma.emailToken.updateMany({ where, data: { expiresAt: past() } });
  },
};

/**
 * Probes that change the account run on an account of their own, so that no probe decides another's cell: a
 * reset ends pending changes of address, and a change of address ends reset links.
 */
const ISOLATED: Credential[] = ["reset link", "email-change link"];

describe("what ends what", () => {
  it("covers every credential and event", () => {
    expect(Object.keys(EVENTS).sort()).toEqual(Object.keys(MATRIX).sort());
    for (const row of Object.values(MATRIX)) expect(row).toHaveLength(CREDENTIALS.length);
  });

  it.each(Object.keys(MATRIX))("%s", { timeout: 240_000 }, async (event) => {
    // A fresh token per column keeps the admin inside the sudo window however long earlier columns took.
    admin.token = (await issueTokenForCredentials(admin.username, PASSWORD, TEST_CONTEXT)).access_token;
    const verified = event !== "first proof of the address";
    const shared = await hold({ verified });
    const isolated = Object.fromEntries(await Promise.all(ISOLATED.map(async (credential) => [credential, await hold({ verified })] as const)));
    for (const holdings of [shared, ...Object.values(isolated)]) await EVENTS[event](holdings);
    const observed: Record<string, Outcome> = {};
    const expected: Record<string, Outcome> = {};
    // The shared account's probes in this order: ones that sign in first, mailed links last.
    for (const [index, credential] of CREDENTIALS.entries()) {
      const holdings = isolated[credential] ?? shared;
      observed[credential] = (await PROBES[credential](holdings)) ? S : E;
      expected[credential] = MATRIX[event][index];
    }
    expect(observed, `what survives "${event}"`).toEqual(expected);
  });
});
