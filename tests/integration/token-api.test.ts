import { SignJWT, UnsecuredJWT, decodeJwt, decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as token } from "@/app/api/v1/auth/token/route";
import { GET as me } from "@/app/api/v1/me/route";
import { ACCESS_TOKEN_AUDIENCE, accessTokenIssuer, issueAccessToken, verifyAccessToken } from "@/lib/crypto/access-token";
import { activeSigningKey } from "@/lib/crypto/signing-keys";
import { resetEnvCache } from "@/lib/env";
import { freshDatabase, type TestDatabase } from "../support/database";
import { PASSWORD, createUserWithToken, leaksInternals, noContext, request } from "../support/http";

let database: TestDatabase;
let alice: Awaited<ReturnType<typeof createUserWithToken>>;
/** The session row behind alice's token: forged tokens below name a live session, so only the forgery differs. */
let aliceSession: { sid: string; auth_time: number };
beforeAll(async () => {
  database = await freshDatabase();
  alice = await createUserWithToken("alice");
  const claims = (await verifyAccessToken(alice.token))!;
  aliceSession = { sid: claims.sessionId, auth_time: claims.authTime };
});
afterAll(async () => {
  await database.dispose();
});

const postToken = (init: Parameters<typeof request>[1]) =>
  token(request("/api/v1/auth/token", { method: "POST", ...init }), noContext);
const getMe = (headers: Record<string, string> = {}) => me(request("/api/v1/me", { headers }), noContext);

describe("POST /api/v1/auth/token", () => {
  it("issues a 15-minute EdDSA token with iss, aud, sub, iat and its session id", async () => {
    const response = await postToken({ json: { identifier: alice.user.email, password: PASSWORD } });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await response.json();
    expect(body).toEqual({ access_token: expect.any(String), token_type: "Bearer", expires_in: 900, refresh_token: expect.stringMatching(/^lkr_/) });
    expect(decodeProtectedHeader(body.access_token)).toEqual({ alg: "EdDSA", typ: "JWT", kid: (await activeSigningKey()).kid });
    const claims = decodeJwt(body.access_token);
    expect(claims).toMatchObject({ iss: accessTokenIssuer(), aud: ACCESS_TOKEN_AUDIENCE, sub: alice.user.id, sid: expect.any(String) });
    expect(claims.exp! - claims.iat!).toBe(900);
  });

  it("accepts the OAuth2 password grant form encoding", async () => {
    const response = await postToken({
      body: new URLSearchParams({ grant_type: "password", username: alice.user.username, password: PASSWORD, scope: "" }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(response.status).toBe(200);
  });

  it("answers a wrong password and an unknown account identically", async () => {
    const wrong = await postToken({ json: { identifier: alice.user.username, password: "not the right password" } });
    const unknown = await postToken({ json: { identifier: "nobody-at-all", password: "not the right password" } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.text()).toBe(await unknown.text());
  });

  it.each([
    ["a wrong grant type", "grant_type=client_credentials&username=a&password=b", "unsupported_grant_type"],
    ["no grant type", "username=a&password=b", "invalid_request"],
    ["a repeated field", "grant_type=password&username=a&username=b&password=c", "invalid_request"],
    ["a missing password", "grant_type=password&username=a", "invalid_request"],
    ["a missing refresh token", "grant_type=refresh_token", "invalid_request"],
  ])("rejects a form with %s in RFC 6749's shape", async (_name, body, error) => {
    const response = await postToken({ body, headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(response.status).toBe(400);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ error, error_description: expect.any(String) });
  });

  it("refuses a wrong password in a form as invalid_grant, and a JSON one in the contract's shape", async () => {
    const form = await postToken({
      body: new URLSearchParams({ grant_type: "password", username: alice.user.username, password: "not the right password" }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(400);
    expect(await form.json()).toEqual({ error: "invalid_grant", error_description: "Invalid email/username or password" });
    const json = await postToken({ json: { identifier: alice.user.username, password: "not the right password" } });
    expect(json.status).toBe(401);
    expect((await json.json()).error.code).toBe("invalid_credentials");
  });

  it("still rejects a JSON body with a wrong field as validation_error", async () => {
    const response = await postToken({ json: { grant_type: "client_credentials", identifier: "a", password: "b" } });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("validation_error");
  });
});

describe("GET /api/v1/me bearer authentication", () => {
  it("returns the user for a valid token", async () => {
    const response = await getMe({ authorization: `Bearer ${alice.token}` });
    expect(response.status).toBe(200);
    expect((await response.json()).user.id).toBe(alice.user.id);
  });

  async function expectUnauthorized(authorization: string | undefined) {
    const response = await getMe(authorization === undefined ? {} : { authorization });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const text = await response.text();
    expect(JSON.parse(text).error.code).toBe("unauthorized");
    expect(leaksInternals(text)).toBe(false);
  }

  it("refuses no header", () => expectUnauthorized(undefined));

  it.each([
    ["Bearer %%", "Bearer %%"],
    ["16 KB of junk", `Bearer ${"A".repeat(16 * 1024)}`],
    ["Basic credentials", `Basic ${Buffer.from("alice:pw").toString("base64")}`],
    ["an empty bearer", "Bearer "],
    ["a lower-case scheme with two spaces", "bearer  x.y.z"],
    ["a token with trailing junk", "Bearer a.b.c d"],
    ["a random three-part token", "Bearer aaaa.bbbb.cccc"],
    ["an lk_ key that doesn't exist", `Bearer lk_${"a".repeat(43)}`],
  ])("refuses %s", (_name, header) => expectUnauthorized(header));

  it("refuses a token signed with another key", async () => {
    const forged = await new SignJWT(aliceSession)
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(alice.user.id)
      .setIssuer(accessTokenIssuer())
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime("15m")
      .sign(new TextEncoder().encode("some-other-secret-of-the-right-length!!"));
    await expectUnauthorized(`Bearer ${forged}`);
  });

  it("refuses alg: none", async () => {
    const unsigned = new UnsecuredJWT(aliceSession)
      .setSubject(alice.user.id)
      .setIssuer(accessTokenIssuer())
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime("15m")
      .encode();
    await expectUnauthorized(`Bearer ${unsigned}`);
  });

  it("refuses a tampered payload", async () => {
    const [header, , signature] = alice.token.split(".");
    const payload = Buffer.from(JSON.stringify({ ...decodeJwt(alice.token), sub: "someone-else" })).toString("base64url");
    await expectUnauthorized(`Bearer ${header}.${payload}.${signature}`);
  });

  it("refuses an expired token, and tokens for another audience or issuer", async () => {
    const { kid, privateKey: key } = await activeSigningKey();
    const base = () =>
      new SignJWT(aliceSession).setProtectedHeader({ alg: "EdDSA", kid }).setSubject(alice.user.id).setIssuedAt(Math.floor(Date.now() / 1000) - 3600);
    const valid = await base().setIssuer(accessTokenIssuer()).setAudience(ACCESS_TOKEN_AUDIENCE).setExpirationTime("15m").sign(key);
    // The same key and claims produce a working token, so the refusals below are about the one claim changed.
    expect((await getMe({ authorization: `Bearer ${valid}` })).status).toBe(200);
    const expired = await base()
      .setIssuer(accessTokenIssuer())
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(key);
    const otherAudience = await base().setIssuer(accessTokenIssuer()).setAudience("another-api").setExpirationTime("15m").sign(key);
    for (const bad of [expired, otherAudience]) await expectUnauthorized(`Bearer ${bad}`);
  });

  it("refuses a token from another issuer when AUTH_URL names ours", async () => {
    const { kid, privateKey: key } = await activeSigningKey();
    const issuedBy = (issuer: string) =>
      new SignJWT(aliceSession).setProtectedHeader({ alg: "EdDSA", kid }).setSubject(alice.user.id).setIssuedAt().setIssuer(issuer).setAudience(ACCESS_TOKEN_AUDIENCE).setExpirationTime("15m").sign(key);
    vi.stubEnv("AUTH_URL", "https://auth.example.com");
    resetEnvCache();
    try {
      expect((await getMe({ authorization: `Bearer ${await issuedBy("https://auth.example.com")}` })).status).toBe(200);
      for (const issuer of ["someone-else", "http://localhost:3000", "https://auth.example.com.evil.test"]) {
        await expectUnauthorized(`Bearer ${await issuedBy(issuer)}`);
      }
    } finally {
      vi.unstubAllEnvs();
      resetEnvCache();
    }
  });

  it("refuses a well-signed token whose session has ended or was never issued", async () => {
    const stale = await issueAccessToken({ userId: alice.user.id, sessionId: "an-ended-session", authTime: Math.floor(Date.now() / 1000) });
    await expectUnauthorized(`Bearer ${stale}`);
  });
});
