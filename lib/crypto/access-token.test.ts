import { createHmac } from "node:crypto";
import { SignJWT, decodeJwt, decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import {
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  ACCESS_TOKEN_TTL_SECONDS,
  MAX_ACCESS_TOKEN_LENGTH,
  issueAccessToken,
  signingKey,
  verifyAccessToken,
} from "./access-token";

describe("access tokens", () => {
  it("round-trip the user and session id", async () => {
    const token = await issueAccessToken({ userId: "user-1", sessionId: "session-3", authTime: 1_700_000_000 });
    expect(decodeProtectedHeader(token).alg).toBe("HS256");
    const claims = decodeJwt(token);
    expect(claims.exp! - claims.iat!).toBe(ACCESS_TOKEN_TTL_SECONDS);
    expect(claims.jti).toEqual(expect.any(String));
    expect(claims.auth_time).toBe(1_700_000_000);
    expect(await verifyAccessToken(token)).toEqual({ userId: "user-1", sessionId: "session-3", authTime: 1_700_000_000 });
  });

  it("are unique per issue", async () => {
    const claims = { userId: "user-1", sessionId: "session-0", authTime: 1_700_000_000 };
    expect(await issueAccessToken(claims)).not.toBe(await issueAccessToken(claims));
  });

  it("refuse junk and oversized input without throwing", async () => {
    expect(await verifyAccessToken("not-a-jwt")).toBeNull();
    expect(await verifyAccessToken("a".repeat(MAX_ACCESS_TOKEN_LENGTH + 1))).toBeNull();
  });
});

describe("access token verification", () => {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const forge = async (header: object, claims: object, key = signingKey()) => {
    const input = `${encode(header)}.${encode(claims)}`;
    return `${input}.${createHmac(header && "alg" in header && header.alg === "HS512" ? "sha512" : "sha256", key).update(input).digest("base64url")}`;
  };
  const now = () => Math.floor(Date.now() / 1000);
  const good = () => ({ sub: "u1", sid: "s1", iss: ACCESS_TOKEN_ISSUER, aud: ACCESS_TOKEN_AUDIENCE, iat: now(), exp: now() + 60, auth_time: 1_700_000_000 });
  const verified = { userId: "u1", sessionId: "s1", authTime: 1_700_000_000 };

  it("accepts what a standard JOSE library signs with the same key, typ or not, audience as a list too", async () => {
    const signed = await new SignJWT({ sid: "s1", auth_time: 1_700_000_000 }).setProtectedHeader({ alg: "HS256" }).setSubject("u1").setIssuer(ACCESS_TOKEN_ISSUER)
      .setAudience([ACCESS_TOKEN_AUDIENCE, "other"]).setIssuedAt().setExpirationTime("1m").sign(signingKey());
    expect(await verifyAccessToken(signed)).toEqual(verified);
    expect(await verifyAccessToken(await forge({ alg: "HS256" }, good()))).toEqual(verified);
  });

  it("refuses other algorithms, critical headers, another key and a re-encoded signature", async () => {
    const token = await forge({ alg: "HS256" }, good());
    const unsigned = `${encode({ alg: "none" })}.${encode(good())}.`;
    const variants = [
      unsigned,
      await forge({ alg: "HS512" }, good()),
      await forge({ alg: "HS256", crit: ["exp"] }, good()),
      await forge({ alg: "HS256" }, good(), new Uint8Array(32).fill(1)),
      `${token}=`,
      `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`,
      `${token}.extra`,
    ];
    for (const variant of variants) expect(await verifyAccessToken(variant)).toBeNull();
  });

  it("refuses missing or wrong claims, a future nbf and payloads that are not objects", async () => {
    const { sub: _sub, ...noSubject } = good();
    const { sid: _sid, ...noSession } = good();
    const { exp: _exp, ...noExpiry } = good();
    const { iat: _iat, ...noIssuedAt } = good();
    const { auth_time: _authTime, ...noAuthTime } = good();
    const payloads: object[] = [
      noSubject,
      noSession,
      noExpiry,
      noIssuedAt,
      noAuthTime,
      { ...good(), auth_time: String(now()) },
      { ...good(), auth_time: now() + 0.5 },
      { ...good(), auth_time: null },
      { ...good(), exp: now() - 1 },
      { ...good(), exp: String(now() + 60) },
      { ...good(), nbf: now() + 60 },
      { ...good(), iss: "someone-else" },
      { ...good(), aud: "another-api" },
      { ...good(), sub: 42 },
      [good()],
    ];
    for (const payload of payloads) expect(await verifyAccessToken(await forge({ alg: "HS256" }, payload))).toBeNull();
    expect(await verifyAccessToken(`${encode({ alg: "HS256" })}.bm90IGpzb24.c2ln`)).toBeNull();
  });
});
