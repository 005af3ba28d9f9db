import { decodeJwt } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { POST as createKey } from "@/app/api/v1/api-keys/route";
import { POST as revoke } from "@/app/api/v1/auth/revoke/route";
import { POST as token } from "@/app/api/v1/auth/token/route";
import { GET as me } from "@/app/api/v1/me/route";
import { hashRefreshToken } from "@/lib/crypto/refresh-token";
import { totpCode, totpStep } from "@/lib/crypto/totp";
import { env } from "@/lib/env";
import { confirmTwoFactorEnrollment, startTwoFactorEnrollment } from "@/lib/services/two-factor";
import { freshDatabase, queriesDuring, type TestDatabase } from "../support/database";
import { PASSWORD, TEST_CONTEXT, createUserWithToken, noContext, peerHeaders, request, setEnv } from "../support/http";

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database.dispose();
});
afterEach(() => setEnv({ RATE_LIMIT_TOKEN_REQUESTS_PER_IP: undefined }));

const FORM = { "content-type": "application/x-www-form-urlencoded" };
type Pair = { access_token: string; refresh_token: string; token_type: string; expires_in: number };

const postToken = (init: Parameters<typeof request>[1]) => token(request("/api/v1/auth/token", { method: "POST", ...init }), noContext);
const refreshJson = (refreshToken: string) => postToken({ json: { grant_type: "refresh_token", refresh_token: refreshToken } });
const refreshForm = (refreshToken: string, headers: Record<string, string> = {}) =>
  postToken({ body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken }).toString(), headers: { ...FORM, ...headers } });
const meStatus = async (accessToken: string) => (await me(request("/api/v1/me", { token: accessToken }), noContext)).status;
const revokeWith = (init: Parameters<typeof request>[1]) => revoke(request("/api/v1/auth/revoke", { method: "POST", ...init }), noContext);
const sessionIdOf = (accessToken: string) => decodeJwt(accessToken).sid as string;

async function refreshed(refreshToken: string): Promise<Pair> {
  const response = await refreshJson(refreshToken);
  expect(response.status).toBe(200);
  return (await response.json()) as Pair;
}

async function expectRefused(response: Response) {
  expect(response.status).toBe(401);
  expect((await response.json()).error.code).toBe("invalid_credentials");
}

async function signIn(identifier: string, extra: Record<string, string> = {}): Promise<Pair> {
  const response = await postToken({ json: { identifier, password: PASSWORD, ...extra } });
  expect(response.status).toBe(200);
  return (await response.json()) as Pair;
}

describe("the refresh grant", () => {
  it("rotates: a new pair in the same family, and the old refresh token stops working", async () => {
    const alice = await createUserWithToken("rotate");
    const next = await refreshed(alice.refreshToken);
    expect(next).toEqual({ access_token: expect.any(String), token_type: "Bearer", expires_in: 900, refresh_token: expect.stringMatching(/^lkr_/) });
    expect(next.refresh_token).not.toBe(alice.refreshToken);
    expect(sessionIdOf(next.access_token)).toBe(sessionIdOf(alice.token));
    expect(await meStatus(next.access_token)).toBe(200);
    const again = await refreshed(next.refresh_token);
    expect(await meStatus(again.access_token)).toBe(200);
  });

  it("keeps only the SHA-256 of each refresh token, on a session row of the family's own", async () => {
    const alice = await createUserWithToken("hashed");
    const session = await database.prisma.session.findUniqueOrThrow({ where: { id: sessionIdOf(alice.token) }, include: { refreshTokens: true } });
    expect(session).toMatchObject({ kind: "REFRESH_TOKEN", userId: alice.user.id, userAgent: "vitest" });
    expect(session.refreshTokens.map((row) => row.tokenHash)).toEqual([hashRefreshToken(alice.refreshToken)]);
    expect(JSON.stringify(session)).not.toContain(alice.refreshToken.slice(4));
    const lifetime = session.expires.getTime() - session.createdAt.getTime();
    expect(Math.abs(lifetime - env().REFRESH_TOKEN_LIFETIME * 1000)).toBeLessThan(5_000);
  });

  it("ends the whole family when a rotated refresh token comes back, and audits it", async () => {
    const alice = await createUserWithToken("reuse");
    const otherDevice = await signIn(alice.user.username);
    const next = await refreshed(alice.refreshToken);
    await expectRefused(await refreshJson(alice.refreshToken));
    // The thief and the rightful holder are now both out: the newest refresh token and every access token.
    await expectRefused(await refreshJson(next.refresh_token));
    expect(await meStatus(next.access_token)).toBe(401);
    expect(await meStatus(alice.token)).toBe(401);
    expect(await database.prisma.session.count({ where: { id: sessionIdOf(alice.token) } })).toBe(0);
    const events = await database.prisma.auditEvent.findMany({ where: { type: "token.reuse", targetId: alice.user.id } });
    expect(events).toHaveLength(1);
    expect(events[0].detail).toMatchObject({ sessionsEnded: 1 });
    // Another sign-in of the same user is another family.
    expect(await meStatus(otherDevice.access_token)).toBe(200);
    expect(await meStatus((await refreshed(otherDevice.refresh_token)).access_token)).toBe(200);
  });

  it("lets at most one of several concurrent refreshes with one token through", async () => {
    const alice = await createUserWithToken("race");
    const responses = await Promise.all(Array.from({ length: 4 }, () => refreshJson(alice.refreshToken)));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200).length).toBeLessThanOrEqual(1);
    expect(statuses.every((status) => status === 200 || status === 401)).toBe(true);
    // The losers presented a token that was rotated under them: the family ends, so no pair from the race survives.
    expect(await database.prisma.refreshToken.count({ where: { sessionId: sessionIdOf(alice.token), rotatedAt: null } })).toBe(0);
  });

  it("ends a family unused for the idle timeout, not one used within it", async () => {
    const alice = await createUserWithToken("idle");
    const bob = await createUserWithToken("notidle");
    const ago = (seconds: number) => new Date(Date.now() - seconds * 1000);
    await database.prisma.session.update({ where: { id: sessionIdOf(alice.token) }, data: { lastSeenAt: ago(env().REFRESH_TOKEN_IDLE_TIMEOUT + 60) } });
    await database.prisma.session.update({ where: { id: sessionIdOf(bob.token) }, data: { lastSeenAt: ago(env().REFRESH_TOKEN_IDLE_TIMEOUT - 3600) } });
    await expectRefused(await refreshJson(alice.refreshToken));
    const next = await refreshed(bob.refreshToken);
    // A refresh is the family's activity: the idle clock starts again.
    const { lastSeenAt } = await database.prisma.session.findUniqueOrThrow({ where: { id: sessionIdOf(bob.token) } });
    expect(Date.now() - lastSeenAt.getTime()).toBeLessThan(60_000);
    expect(await meStatus(next.access_token)).toBe(200);
  });

  it("ends a family at its absolute lifetime however often it was refreshed, and its access tokens with it", async () => {
    const alice = await createUserWithToken("absolute");
    const next = await refreshed(alice.refreshToken);
    await database.prisma.session.update({ where: { id: sessionIdOf(alice.token) }, data: { expires: new Date(Date.now() - 1000) } });
    await expectRefused(await refreshJson(next.refresh_token));
    expect(await meStatus(next.access_token)).toBe(401);
  });

  it("keeps the sign-in's auth_time, so refreshing never extends sudo mode", async () => {
    const alice = await createUserWithToken("sudo");
    const signedInAt = new Date(Math.floor(Date.now() / 1000 - env().AUTH_SUDO_WINDOW - 60) * 1000);
    await database.prisma.session.update({ where: { id: sessionIdOf(alice.token) }, data: { authenticatedAt: signedInAt } });
    const next = await refreshed(alice.refreshToken);
    expect(decodeJwt(next.access_token).auth_time).toBe(signedInAt.getTime() / 1000);
    const response = await createKey(request("/api/v1/api-keys", { method: "POST", token: next.access_token, json: { name: "ci" } }), noContext);
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe("reauthentication_required");
  });

  it("lets a user with two-factor authentication refresh without a code", async () => {
    const alice = await createUserWithToken("totp");
    const { secret } = await startTwoFactorEnrollment(alice.user.id);
    const [recoveryCode] = await confirmTwoFactorEnrollment(alice.user.id, totpCode(secret, totpStep()), TEST_CONTEXT);
    expect((await postToken({ json: { identifier: alice.user.username, password: PASSWORD } })).status).toBe(401);
    const pair = await signIn(alice.user.username, { otp: recoveryCode });
    const next = await refreshed(pair.refresh_token);
    expect(await meStatus(next.access_token)).toBe(200);
  });

  it("refuses a locked user's refresh token", async () => {
    const alice = await createUserWithToken("locked");
    await database.prisma.user.update({ where: { id: alice.user.id }, data: { lockedAt: new Date() } });
    await expectRefused(await refreshJson(alice.refreshToken));
  });

  it("takes the form encoding and answers its refusals in RFC 6749's shape", async () => {
    const alice = await createUserWithToken("form");
    const ok = await refreshForm(alice.refreshToken);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("pragma")).toBe("no-cache");
    const pair = (await ok.json()) as Pair;
    for (const refused of [await refreshForm(alice.refreshToken), await refreshForm(pair.refresh_token), await refreshForm("not-a-refresh-token")]) {
      expect(refused.status).toBe(400);
      expect(await refused.json()).toEqual({ error: "invalid_grant", error_description: expect.any(String) });
    }
  });

  it("answers a form request for a code (mfa_required) as invalid_grant with a description", async () => {
    const alice = await createUserWithToken("formtotp");
    const { secret } = await startTwoFactorEnrollment(alice.user.id);
    await confirmTwoFactorEnrollment(alice.user.id, totpCode(secret, totpStep()), TEST_CONTEXT);
    const response = await postToken({ body: new URLSearchParams({ grant_type: "password", username: alice.user.username, password: PASSWORD }).toString(), headers: FORM });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "invalid_grant", error_description: expect.stringContaining("otp") });
  });

  it("rate-limits refreshes per address: 429 with Retry-After, in the form's shape", async () => {
    const alice = await createUserWithToken("limited");
    setEnv({ RATE_LIMIT_TOKEN_REQUESTS_PER_IP: "1/15m" });
    const address = peerHeaders("203.0.113.77");
    const first = await refreshForm(alice.refreshToken, address);
    expect(first.status).toBe(200);
    const second = await refreshForm(((await first.json()) as Pair).refresh_token, address);
    expect(second.status).toBe(429);
    expect(Number(second.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await second.json()).toEqual({ error: "temporarily_unavailable", error_description: expect.any(String) });
  });

  it.each([
    ["not a string", { grant_type: "refresh_token", refresh_token: 42 }],
    ["missing", { grant_type: "refresh_token" }],
    ["next to an unknown field", { grant_type: "refresh_token", refresh_token: "x", scope: "all" }],
  ])("answers a malformed JSON refresh (%s) with validation_error", async (_name, json) => {
    const response = await postToken({ json });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("validation_error");
  });

  it("refuses garbage without asking the database, and an unknown token with one read", async () => {
    const malformed = await queriesDuring(database, () => refreshJson("lkr_short"));
    await expectRefused(malformed.result);
    expect(malformed.queries).toEqual([]);
    const unknown = await queriesDuring(database, () => refreshJson(`lkr_${"A".repeat(43)}`));
    await expectRefused(unknown.result);
    expect(unknown.queries).toHaveLength(1);
  });
});

describe("POST /api/v1/auth/revoke with a token (RFC 7009)", () => {
  it("ends that refresh token's family only, without authentication", async () => {
    const alice = await createUserWithToken("revoke");
    const other = await signIn(alice.user.username);
    expect((await revokeWith({ json: { token: alice.refreshToken } })).status).toBe(204);
    await expectRefused(await refreshJson(alice.refreshToken));
    expect(await meStatus(alice.token)).toBe(401);
    expect(await meStatus(other.access_token)).toBe(200);
    expect(await database.prisma.auditEvent.count({ where: { type: "token.revoke", targetId: alice.user.id } })).toBe(1);
  });

  it("takes the form encoding, and an access token ends its family too", async () => {
    const alice = await createUserWithToken("revokeform");
    const response = await revokeWith({ body: new URLSearchParams({ token: alice.token, token_type_hint: "access_token" }).toString(), headers: FORM });
    expect(response.status).toBe(204);
    expect(await meStatus(alice.token)).toBe(401);
    await expectRefused(await refreshJson(alice.refreshToken));
  });

  it("answers 204 for unknown and malformed tokens, the malformed one without a query", async () => {
    expect((await revokeWith({ json: { token: `lkr_${"B".repeat(43)}` } })).status).toBe(204);
    const malformed = await queriesDuring(database, () => revokeWith({ json: { token: "whatever" } }));
    expect(malformed.result.status).toBe(204);
    expect(malformed.queries).toEqual([]);
  });

  it("answers a body without a token as a bad request, JSON and form each in its shape", async () => {
    const json = await revokeWith({ json: { tokens: "x" } });
    expect(json.status).toBe(400);
    expect((await json.json()).error.code).toBe("validation_error");
    const form = await revokeWith({ body: "token_type_hint=refresh_token", headers: FORM });
    expect(form.status).toBe(400);
    expect(await form.json()).toEqual({ error: "invalid_request", error_description: expect.any(String) });
  });

  it("keeps the body-less meaning: authentication required, then every session of the caller ends", async () => {
    const alice = await createUserWithToken("everything");
    const other = await signIn(alice.user.username);
    expect((await revokeWith({})).status).toBe(401);
    expect((await revokeWith({ token: alice.token, json: {} })).status).toBe(204);
    await expectRefused(await refreshJson(other.refresh_token));
    expect(await meStatus(other.access_token)).toBe(401);
  });
});
