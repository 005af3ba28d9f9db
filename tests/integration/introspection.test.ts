import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as introspectRoute } from "@/app/api/v1/auth/introspect/route";
import { POST as revokeRoute } from "@/app/api/v1/auth/revoke/route";
import { POST as tokenRoute } from "@/app/api/v1/auth/token/route";
import { ACCESS_TOKEN_TTL_SECONDS, accessTokenIssuer } from "@/lib/crypto/access-token";
import { createUserApiKey, revokeApiKey } from "@/lib/services/api-keys";
import { freshDatabase, type TestDatabase } from "../support/database";
import { TEST_CONTEXT, createAdminWithToken, createUserWithToken, noContext, request } from "../support/http";

let database: TestDatabase;
let caller: string;
beforeAll(async () => {
  database = await freshDatabase();
  const service = await createUserWithToken("service");
  caller = (await createUserApiKey(service.user.id, { name: "resource server", scopes: ["tokens:introspect"] }, TEST_CONTEXT)).key;
});
afterAll(async () => {
  await database.dispose();
});
afterEach(() => {
  vi.useRealTimers();
});

const introspect = async (token: string, bearer = caller) => {
  const response = await introspectRoute(request("/api/v1/auth/introspect", { method: "POST", token: bearer, json: { token } }), noContext);
  expect(response.status).toBe(200);
  expect(response.headers.get("cache-control")).toBe("no-store");
  return response.json();
};

describe("POST /api/v1/auth/introspect", () => {
  it("describes a refresh token while it is its family's current one, and nothing once rotated, revoked or its user suspended", async () => {
    const carol = await createUserWithToken("carol");
    const signIn = async () => {
      const response = await tokenRoute(request("/api/v1/auth/token", { method: "POST", json: { identifier: carol.user.username, password: carol.password } }), noContext);
      return (await response.json()) as { refresh_token: string };
    };
    const { refresh_token: first } = await signIn();
    const answer = await introspect(first);
    expect(answer).toEqual({
      active: true,
      token_type: "refresh_token",
      sub: carol.user.id,
      username: carol.user.username,
      scope: "profile:read keys:manage",
      iss: accessTokenIssuer(),
      iat: expect.any(Number),
      exp: expect.any(Number),
      auth_time: expect.any(Number),
    });
    expect(answer.exp).toBeGreaterThan(Date.now() / 1000 + 29 * 86400);
    expect(Math.abs(answer.iat - Date.now() / 1000)).toBeLessThan(60);
    expect((await introspect(first)).active).toBe(true);

    const refreshed = await tokenRoute(request("/api/v1/auth/token", { method: "POST", json: { grant_type: "refresh_token", refresh_token: first } }), noContext);
    const { refresh_token: second } = (await refreshed.json()) as { refresh_token: string };
    expect(await introspect(first)).toEqual({ active: false });
    expect((await introspect(second)).active).toBe(true);
    await revokeRoute(request("/api/v1/auth/revoke", { method: "POST", json: { token: second } }), noContext);
    expect(await introspect(second)).toEqual({ active: false });

    const { refresh_token: third } = await signIn();
    await database.prisma.user.update({ where: { id: carol.user.id }, data: { suspendedUntil: new Date(Date.now() + 3_600_000) } });
    expect(await introspect(third)).toEqual({ active: false });
    await database.prisma.user.update({ where: { id: carol.user.id }, data: { suspendedUntil: null } });
    expect((await introspect(third)).active).toBe(true);
    expect(await introspect("lkr_" + "A".repeat(43))).toEqual({ active: false });
  });

  it("describes a live access token: who, until when, issued by whom for whom", async () => {
    const alice = await createUserWithToken("alice");
    const before = Math.floor(Date.now() / 1000);
    const answer = await introspect(alice.token);
    expect(answer).toEqual({
      active: true,
      token_type: "access_token",
      sub: alice.user.id,
      username: alice.user.username,
      scope: "profile:read keys:manage",
      iss: accessTokenIssuer(),
      aud: "latchkey-api",
      iat: expect.any(Number),
      exp: expect.any(Number),
      auth_time: expect.any(Number),
    });
    expect(answer.exp - answer.iat).toBe(ACCESS_TOKEN_TTL_SECONDS);
    expect(Math.abs(answer.iat - before)).toBeLessThan(60);
    const admin = await createAdminWithToken("introspected");
    expect((await introspect(admin.token)).scope).toBe("profile:read keys:manage admin:users:read admin:users:write");
  });

  it("answers {active: false} and nothing more for expired, revoked, locked-out, forged and unknown tokens", async () => {
    const bob = await createUserWithToken("bob");
    expect((await introspect(bob.token)).active).toBe(true);

    await database.prisma.user.update({ where: { id: bob.user.id }, data: { lockedAt: new Date() } });
    expect(await introspect(bob.token)).toEqual({ active: false });
    await database.prisma.user.update({ where: { id: bob.user.id }, data: { lockedAt: null } });
    expect((await introspect(bob.token)).active).toBe(true);

    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + (ACCESS_TOKEN_TTL_SECONDS + 1) * 1000);
    expect(await introspect(bob.token)).toEqual({ active: false });
    vi.useRealTimers();

    const [header, payload, signature] = bob.token.split(".");
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: "someone-else" })).toString("base64url")}.${signature}`;
    // One bit of the signature flipped. (Replacing its last two characters with "AA" left it valid about once in 256
    // runs: the last character carries only two bits, and the one before could already be "A".)
    const signatureBytes = Buffer.from(signature, "base64url");
    signatureBytes[0] ^= 1;
    const swapped = `${header}.${payload}.${signatureBytes.toString("base64url")}`;
    for (const token of [forged, swapped, "not a token", "lk_short", "a.b.c", "x".repeat(4000)]) {
      expect(await introspect(token)).toEqual({ active: false });
    }

    expect((await revokeRoute(request("/api/v1/auth/revoke", { method: "POST", token: bob.token }), noContext)).status).toBe(204);
    expect(await introspect(bob.token)).toEqual({ active: false });
  });

  it("describes a live API key by its scopes and expiry, and not once it is expired, revoked or its owner locked", async () => {
    const carol = await createUserWithToken("carol");
    const forever = await createUserApiKey(carol.user.id, { name: "forever", scopes: ["keys:manage", "profile:read"] }, TEST_CONTEXT);
    expect(await introspect(forever.key)).toEqual({
      active: true,
      token_type: "api_key",
      sub: carol.user.id,
      username: carol.user.username,
      scope: "profile:read keys:manage",
      iss: accessTokenIssuer(),
      iat: Math.floor(new Date(forever.apiKey.createdAt).getTime() / 1000),
    });
    const monthly = await createUserApiKey(carol.user.id, { name: "monthly", expiresInDays: 30 }, TEST_CONTEXT);
    expect(await introspect(monthly.key)).toMatchObject({ active: true, scope: "profile:read", exp: Math.floor(new Date(monthly.apiKey.expiresAt!).getTime() / 1000) });

    await database.prisma.apiKey.update({ where: { id: monthly.apiKey.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await introspect(monthly.key)).toEqual({ active: false });
    await database.prisma.user.update({ where: { id: carol.user.id }, data: { lockedAt: new Date() } });
    expect(await introspect(forever.key)).toEqual({ active: false });
    await database.prisma.user.update({ where: { id: carol.user.id }, data: { lockedAt: null } });
    await revokeApiKey(carol.user.id, forever.apiKey.id, TEST_CONTEXT);
    expect(await introspect(forever.key)).toEqual({ active: false });
  });

  it("takes the token form-encoded too (RFC 7662), with or without a type hint", async () => {
    const dave = await createUserWithToken("dave");
    const response = await introspectRoute(
      request("/api/v1/auth/introspect", {
        method: "POST",
        token: caller,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token: dave.token, token_type_hint: "access_token" }).toString(),
      }),
      noContext,
    );
    expect(response.status).toBe(200);
    expect((await response.json()).sub).toBe(dave.user.id);
  });

  it("is for API keys with tokens:introspect only: 401 without credentials, 403 insufficient_scope for anything else", async () => {
    const erin = await createUserWithToken("erin");
    const call = (init: Parameters<typeof request>[1]) =>
      introspectRoute(request("/api/v1/auth/introspect", { method: "POST", json: { token: erin.token }, ...init }), noContext);

    const anonymous = await call({});
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await call({ token: "lk_" + "0".repeat(43) })).status).toBe(401);

    const profileKey = (await createUserApiKey(erin.user.id, { name: "profile only" }, TEST_CONTEXT)).key;
    for (const bearer of [profileKey, erin.token]) {
      const refused = await call({ token: bearer });
      expect(refused.status).toBe(403);
      expect((await refused.json()).error.code).toBe("insufficient_scope");
      expect(refused.headers.get("www-authenticate")).toBe('Bearer realm="latchkey", error="insufficient_scope", scope="tokens:introspect"');
    }
  });

  it("refuses a missing token, unknown fields and other content types", async () => {
    for (const json of [{}, { token: "" }, { token: "x", extra: 1 }]) {
      const response = await introspectRoute(request("/api/v1/auth/introspect", { method: "POST", token: caller, json }), noContext);
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe("validation_error");
    }
    const text = await introspectRoute(
      request("/api/v1/auth/introspect", { method: "POST", token: caller, headers: { "content-type": "text/plain" }, body: "token=x" }),
      noContext,
    );
    expect(text.status).toBe(415);
  });
});
