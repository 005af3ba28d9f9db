import { createHmac, hkdfSync } from "node:crypto";
import { SignJWT, decodeJwt, decodeProtectedHeader } from "jose";
import { describe, expect, it, vi } from "vitest";
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

describe("access token edges (each found by mutation testing)", () => {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  /** A token signed with our key over any header and claims: only the rule under test can refuse it. */
  const signed = (header: unknown, claims: Record<string, unknown>) => {
    const input = `${b64(header)}.${b64(claims)}`;
    return `${input}.${createHmac("sha256", signingKey()).update(input).digest("base64url")}`;
  };
  const HS256 = { alg: "HS256", typ: "JWT" };
  const claimsAt = (now: number, extra: Record<string, unknown> = {}) => ({
    sid: "s1", sub: "u1", auth_time: now, iss: ACCESS_TOKEN_ISSUER, aud: ACCESS_TOKEN_AUDIENCE, iat: now, exp: now + 60, ...extra,
  });
  const now = () => Math.floor(Date.now() / 1000);

  it("derives one key per secret with HKDF (pinned: a change would end every token in flight) and keeps it", () => {
    const expected = new Uint8Array(hkdfSync("sha256", process.env.AUTH_SECRET!, "latchkey", "latchkey access token signing key v1", 32));
    expect(signingKey()).toEqual(expected);
    expect(signingKey()).toBe(signingKey());
  });

  it("stamps iat and exp in seconds, now", async () => {
    const before = now();
    const claims = decodeJwt(await issueAccessToken({ userId: "u", sessionId: "s", authTime: before }));
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.iat).toBeLessThanOrEqual(now());
    expect(claims.exp! - claims.iat!).toBe(ACCESS_TOKEN_TTL_SECONDS);
  });

  it("takes a token of exactly the maximum length and refuses one character more", async () => {
    const base = signed(HS256, claimsAt(now()));
    // base64url skips some lengths; padding the header as well as the claims reaches every one.
    const padFor = (length: number) => {
      for (let headerPad = 0; headerPad < 4; headerPad += 1) {
        for (let pad = 0; pad < length; pad += 1) {
          const token = signed({ ...HS256, x: "x".repeat(headerPad) }, claimsAt(now(), { pad: "x".repeat(pad) }));
          if (token.length === length) return token;
          if (token.length > length) break;
        }
      }
      throw new Error(`no token of length ${length}`);
    };
    expect(await verifyAccessToken(base)).not.toBeNull();
    const exact = padFor(MAX_ACCESS_TOKEN_LENGTH);
    const longer = padFor(MAX_ACCESS_TOKEN_LENGTH + 1);
    expect(await verifyAccessToken(exact)).not.toBeNull();
    expect(await verifyAccessToken(longer)).toBeNull();
  });

  it("refuses another algorithm or a crit header even under our own HMAC", async () => {
    expect(await verifyAccessToken(signed(HS256, claimsAt(now())))).not.toBeNull();
    expect(await verifyAccessToken(signed({ alg: "HS512", typ: "JWT" }, claimsAt(now())))).toBeNull();
    expect(await verifyAccessToken(signed({ alg: "none" }, claimsAt(now())))).toBeNull();
    expect(await verifyAccessToken(signed({ ...HS256, crit: ["exp"] }, claimsAt(now())))).toBeNull();
  });

  it("ends at exp, starts at nbf, and wants nbf as a number", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.UTC(2026, 11, 2, 12, 0, 0));
      const at = now();
      expect(await verifyAccessToken(signed(HS256, claimsAt(at, { exp: at })))).toBeNull();
      expect(await verifyAccessToken(signed(HS256, claimsAt(at, { exp: at + 1 })))).not.toBeNull();
      expect(await verifyAccessToken(signed(HS256, claimsAt(at, { nbf: at })))).not.toBeNull();
      expect(await verifyAccessToken(signed(HS256, claimsAt(at, { nbf: at + 1 })))).toBeNull();
      expect(await verifyAccessToken(signed(HS256, claimsAt(at, { nbf: String(at - 10) })))).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});
