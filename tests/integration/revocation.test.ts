import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as changePassword } from "@/app/api/v1/auth/password/change/route";
import { POST as revoke } from "@/app/api/v1/auth/revoke/route";
import { GET as me } from "@/app/api/v1/me/route";
import { refreshSessionClaims } from "@/lib/auth/session-token";
import { env } from "@/lib/env";
import { createUserApiKey } from "@/lib/services/api-keys";
import { createSession, deleteExpiredSessions, validateSession } from "@/lib/services/sessions";
import { verifyAccessToken } from "@/lib/crypto/access-token";
import { issueTokenForCredentials } from "@/lib/services/tokens";
import { freshDatabase, testDatabaseKind, type TestDatabase } from "../support/database";
import { PASSWORD, TEST_CONTEXT, createUserWithToken, noContext, request } from "../support/http";

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database.dispose();
});

const meStatus = async (token: string) => (await me(request("/api/v1/me", { token }), noContext)).status;

describe("revocation", () => {
  it("POST /api/v1/auth/revoke ends every token of the user, and only that user's", async () => {
    const alice = await createUserWithToken("alice");
    const second = (await issueTokenForCredentials(alice.user.email, PASSWORD, TEST_CONTEXT)).access_token;
    const bob = await createUserWithToken("bob");
    const response = await revoke(request("/api/v1/auth/revoke", { method: "POST", token: alice.token }), noContext);
    expect(response.status).toBe(204);
    expect(await meStatus(alice.token)).toBe(401);
    expect(await meStatus(second)).toBe(401);
    expect(await meStatus(bob.token)).toBe(200);
    const fresh = (await issueTokenForCredentials(alice.user.email, PASSWORD, TEST_CONTEXT)).access_token;
    expect(await meStatus(fresh)).toBe(200);
  });

  it("revoke refuses a body that is not JSON (no cross-site form posts)", async () => {
    const alice = await createUserWithToken("plain");
    const response = await revoke(
      request("/api/v1/auth/revoke", { method: "POST", token: alice.token, body: "x", headers: { "content-type": "text/plain" } }),
      noContext,
    );
    expect(response.status).toBe(415);
    expect(await meStatus(alice.token)).toBe(200);
  });

  it("a password change through the API ends the user's other tokens, keeps the caller's, and needs the current password", async () => {
    const alice = await createUserWithToken("changer");
    const other = (await issueTokenForCredentials(alice.user.email, PASSWORD, TEST_CONTEXT)).access_token;
    const newPassword = "an entirely different passphrase";
    const wrong = await changePassword(
      request("/api/v1/auth/password/change", {
        method: "POST",
        token: alice.token,
        json: { currentPassword: "not the current one", newPassword },
      }),
      noContext,
    );
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error.code).toBe("invalid_credentials");
    expect(await meStatus(alice.token)).toBe(200);

    const ok = await changePassword(
      request("/api/v1/auth/password/change", { method: "POST", token: alice.token, json: { currentPassword: PASSWORD, newPassword } }),
      noContext,
    );
    expect(ok.status).toBe(204);
    expect(await meStatus(other)).toBe(401);
    expect(await meStatus(alice.token)).toBe(200);
    await expect(issueTokenForCredentials(alice.user.email, PASSWORD, TEST_CONTEXT)).rejects.toMatchObject({ status: 401 });
    expect(await meStatus((await issueTokenForCredentials(alice.user.email, newPassword, TEST_CONTEXT)).access_token)).toBe(200);
  });

  it("a deleted user's tokens stop working", async () => {
    const alice = await createUserWithToken("deleted");
    await database.prisma.user.delete({ where: { id: alice.user.id } });
    expect(await meStatus(alice.token)).toBe(401);
  });

  it("browser session claims end on revocation and follow role changes", async () => {
    const alice = await createUserWithToken("claims");
    const { sessionId } = (await verifyAccessToken(alice.token))!;
    const claims = { sub: alice.user.id, sid: sessionId, username: alice.user.username, role: "USER" as const };
    await database.prisma.user.update({ where: { id: alice.user.id }, data: { role: "ADMIN" } });
    expect(await refreshSessionClaims(claims)).toMatchObject({ role: "ADMIN", unverified: false });
    await revoke(request("/api/v1/auth/revoke", { method: "POST", token: alice.token }), noContext);
    expect(await refreshSessionClaims(claims)).toBeNull();
    expect(await refreshSessionClaims({ sub: alice.user.id })).toBeNull();
  });

  it("the session check follows the session row: another user's id, a deleted row or a locked user end it", async () => {
    const alice = await createUserWithToken("rowcheck");
    const { sessionId } = (await verifyAccessToken(alice.token))!;
    expect(await validateSession(sessionId, alice.user.id)).toMatchObject({ id: alice.user.id, role: "USER" });
    expect(await validateSession(sessionId, "someone-else")).toBeNull();
    expect(await validateSession("no-such-session", alice.user.id)).toBeNull();
    await database.prisma.user.update({ where: { id: alice.user.id }, data: { lockedAt: new Date() } });
    expect(await validateSession(sessionId, alice.user.id)).toBeNull();
    await database.prisma.user.update({ where: { id: alice.user.id }, data: { lockedAt: null } });
    await database.prisma.session.update({ where: { id: sessionId }, data: { expires: new Date(Date.now() - 1000) } });
    expect(await validateSession(sessionId, alice.user.id)).toBeNull();
  });
  it.runIf(testDatabaseKind() === "pglite")("checking a session, an access token or an API key is one statement, and writes nothing", async () => {
    const alice = await createUserWithToken("onequery");
    const { key } = await createUserApiKey(alice.user.id, { name: "one statement" }, TEST_CONTEXT);
    // The first use records lastUsedAt; later uses within the minute only read.
    expect((await me(request("/api/v1/me", { token: key }), noContext)).status).toBe(200);
    const client = (database.adapterFactory as unknown as { client: { query: (...args: unknown[]) => unknown } }).client;
    const statements: string[] = [];
    const query = client.query;
    client.query = (...args: unknown[]) => (statements.push(String(args[0])), query.apply(client, args));
    try {
      const response = await me(request("/api/v1/me", { token: alice.token }), noContext);
      expect(await response.json()).toEqual({ user: alice.user });
      expect(statements).toHaveLength(1);
      const browserSession = await createSession(alice.user.id, "BROWSER", TEST_CONTEXT);
      statements.length = 0;
      expect(await validateSession(browserSession, alice.user.id)).toEqual(alice.user);
      expect(statements).toHaveLength(1);
      expect(statements[0]).toMatch(/^\s*SELECT/);
      statements.length = 0;
      const byKey = await me(request("/api/v1/me", { token: key }), noContext);
      expect(await byKey.json()).toEqual({ user: alice.user });
    } finally {
      client.query = query;
    }
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/^\s*SELECT/);
  });

  it("a browser session ends after the idle timeout, and activity is written at most every few minutes", async () => {
    const alice = await createUserWithToken("idle");
    const sessionId = await createSession(alice.user.id, "BROWSER", TEST_CONTEXT);
    const seen = async () => (await database.prisma.session.findUniqueOrThrow({ where: { id: sessionId } })).lastSeenAt.getTime();
    const justCreated = await seen();
    expect(await validateSession(sessionId, alice.user.id)).not.toBeNull();
    expect(await seen()).toBe(justCreated);

    const tenMinutesAgo = new Date(Date.now() - 10 * 60 * 1000);
    await database.prisma.session.update({ where: { id: sessionId }, data: { lastSeenAt: tenMinutesAgo } });
    expect(await validateSession(sessionId, alice.user.id)).not.toBeNull();
    expect(await seen()).toBeGreaterThan(tenMinutesAgo.getTime());

    const idleTooLong = new Date(Date.now() - (env().SESSION_IDLE_TIMEOUT + 60) * 1000);
    await database.prisma.session.update({ where: { id: sessionId }, data: { lastSeenAt: idleTooLong } });
    expect(await validateSession(sessionId, alice.user.id)).toBeNull();
    expect(await deleteExpiredSessions()).toBeGreaterThanOrEqual(1);
    expect(await database.prisma.session.findUnique({ where: { id: sessionId } })).toBeNull();
  });
});
