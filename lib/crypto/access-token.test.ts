import { createHmac, generateKeyPairSync, hkdfSync, sign } from "node:crypto";
import { SignJWT, decodeJwt, decodeProtectedHeader } from "jose";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { publicOrigin, resetEnvCache } from "@/lib/env";
import {
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_TTL_SECONDS,
  MAX_ACCESS_TOKEN_LENGTH,
  accessTokenIssuer,
  issueAccessToken,
  verifyAccessToken,
} from "./access-token";
import { publishedKey, thumbprint } from "./signing-keys";

// The key store reads the database; here one in-memory key stands in for it.
const pair = generateKeyPairSync("ed25519");
const KID = thumbprint(pair.publicKey.export({ format: "jwk" }).x!);
vi.mock("./signing-keys", async (importOriginal) => {
  const actual = await importOriginal<typeof import("./signing-keys")>();
  return {
    ...actual,
    activeSigningKey: vi.fn(async () => ({ kid: KID, privateKey: pair.privateKey })),
    publishedKey: vi.fn(async (kid: string) => (kid === KID ? pair.publicKey : null)),
  };
});
beforeEach(() => vi.mocked(publishedKey).mockClear());

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const now = () => Math.floor(Date.now() / 1000);
const EDDSA = { alg: "EdDSA", typ: "JWT", kid: KID };
/** A token signed with our key over any header and claims: only the rule under test can refuse it. */
const signed = (header: unknown, claims: unknown, key = pair.privateKey) => {
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${sign(null, Buffer.from(input), key).toString("base64url")}`;
};
const claimsAt = (at: number, extra: Record<string, unknown> = {}) => ({
  sid: "s1", sub: "u1", auth_time: 1_700_000_000, iss: accessTokenIssuer(), aud: ACCESS_TOKEN_AUDIENCE, iat: at, exp: at + 60, ...extra,
});
const verified = { userId: "u1", sessionId: "s1", authTime: 1_700_000_000 };

describe("access tokens", () => {
  it("are EdDSA JWTs naming their key, issued by the public origin, and round-trip the user and session id", async () => {
    const token = await issueAccessToken({ userId: "user-1", sessionId: "session-3", authTime: 1_700_000_000 });
    expect(decodeProtectedHeader(token)).toEqual({ alg: "EdDSA", typ: "JWT", kid: KID });
    const claims = decodeJwt(token);
    expect(claims.iss).toBe(publicOrigin());
    expect(claims.exp! - claims.iat!).toBe(ACCESS_TOKEN_TTL_SECONDS);
    expect(claims.jti).toEqual(expect.any(String));
    expect(claims.auth_time).toBe(1_700_000_000);
    expect(await verifyAccessToken(token)).toEqual({ userId: "user-1", sessionId: "session-3", authTime: 1_700_000_000 });
  });

  it("are unique per issue", async () => {
    const claims = { userId: "user-1", sessionId: "session-0", authTime: 1_700_000_000 };
    expect(await issueAccessToken(claims)).not.toBe(await issueAccessToken(claims));
  });

  it("refuse junk and oversized input without throwing or looking a key up", async () => {
    expect(await verifyAccessToken("not-a-jwt")).toBeNull();
    expect(await verifyAccessToken("a".repeat(MAX_ACCESS_TOKEN_LENGTH + 1))).toBeNull();
    expect(publishedKey).not.toHaveBeenCalled();
  });
});

describe("access token verification", () => {
  it("accepts what a standard JOSE library signs with the same key, audience as a list too", async () => {
    const token = await new SignJWT({ sid: "s1", auth_time: 1_700_000_000 }).setProtectedHeader({ alg: "EdDSA", kid: KID }).setSubject("u1")
      .setIssuer(accessTokenIssuer()).setAudience([ACCESS_TOKEN_AUDIENCE, "other"]).setIssuedAt().setExpirationTime("1m").sign(pair.privateKey);
    expect(await verifyAccessToken(token)).toEqual(verified);
  });

  it("refuses a tampered payload, another key under our kid, an unknown kid and a re-encoded signature", async () => {
    const token = signed(EDDSA, claimsAt(now()));
    expect(await verifyAccessToken(token)).toEqual(verified);
    const [header, , signature] = token.split(".");
    const other = generateKeyPairSync("ed25519");
    const variants = [
      `${header}.${b64(claimsAt(now(), { sub: "u2" }))}.${signature}`,
      signed(EDDSA, claimsAt(now()), other.privateKey),
      signed({ ...EDDSA, kid: thumbprint(other.publicKey.export({ format: "jwk" }).x!) }, claimsAt(now()), other.privateKey),
      signed({ alg: "EdDSA", typ: "JWT" }, claimsAt(now())),
      `${token}=`,
      `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`,
      `${token}.extra`,
    ];
    for (const variant of variants) expect(await verifyAccessToken(variant)).toBeNull();
  });

  it("refuses the same signature written with other characters (its last one carries two bits and four unused ones)", async () => {
    const token = signed(EDDSA, claimsAt(now()));
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const last = alphabet.indexOf(token.at(-1)!);
    expect(last % 16).toBe(0);
    const sameBytes = `${token.slice(0, -1)}${alphabet[last + 1]}`;
    expect(Buffer.from(sameBytes.split(".")[2], "base64url")).toEqual(Buffer.from(token.split(".")[2], "base64url"));
    expect(await verifyAccessToken(token)).toEqual(verified);
    expect(await verifyAccessToken(sameBytes)).toBeNull();
  });

  it("refuses every other algorithm: none, HS256 under the key AUTH_SECRET used to derive, HS256 keyed with our public key", async () => {
    const hmac = (header: object, key: Uint8Array | string) => {
      const input = `${b64(header)}.${b64(claimsAt(now()))}`;
      return `${input}.${createHmac("sha256", key).update(input).digest("base64url")}`;
    };
    const oldKey = new Uint8Array(hkdfSync("sha256", process.env.AUTH_SECRET!, "latchkey", "latchkey access token signing key v1", 32));
    const publicPem = pair.publicKey.export({ format: "pem", type: "spki" }).toString();
    const variants = [
      `${b64({ alg: "none", kid: KID })}.${b64(claimsAt(now()))}.`,
      hmac({ alg: "HS256", typ: "JWT" }, oldKey),
      hmac({ alg: "HS256", typ: "JWT", kid: KID }, oldKey),
      hmac({ alg: "HS256", kid: KID }, publicPem),
      hmac({ alg: "HS256", kid: KID }, pair.publicKey.export({ format: "jwk" }).x!),
      signed({ ...EDDSA, alg: "Ed25519" }, claimsAt(now())),
      signed({ ...EDDSA, alg: "ES256" }, claimsAt(now())),
      signed({ ...EDDSA, crit: ["exp"] }, claimsAt(now())),
    ];
    for (const variant of variants) expect(await verifyAccessToken(variant)).toBeNull();
  });

  it("refuses missing or wrong claims, a future nbf and payloads that are not objects", async () => {
    const { sub: _sub, ...noSubject } = claimsAt(now());
    const { sid: _sid, ...noSession } = claimsAt(now());
    const { exp: _exp, ...noExpiry } = claimsAt(now());
    const { iat: _iat, ...noIssuedAt } = claimsAt(now());
    const { auth_time: _authTime, ...noAuthTime } = claimsAt(now());
    const payloads: object[] = [
      noSubject,
      noSession,
      noExpiry,
      noIssuedAt,
      noAuthTime,
      claimsAt(now(), { auth_time: String(now()) }),
      claimsAt(now(), { auth_time: now() + 0.5 }),
      claimsAt(now(), { auth_time: null }),
      claimsAt(now(), { exp: now() - 1 }),
      claimsAt(now(), { exp: String(now() + 60) }),
      claimsAt(now(), { nbf: now() + 60 }),
      claimsAt(now(), { iss: 42 }),
      claimsAt(now(), { aud: "another-api" }),
      claimsAt(now(), { sub: 42 }),
      [claimsAt(now())],
    ];
    for (const payload of payloads) expect(await verifyAccessToken(signed(EDDSA, payload))).toBeNull();
    const notJson = `${b64(EDDSA)}.bm90IGpzb24`;
    expect(await verifyAccessToken(`${notJson}.${sign(null, Buffer.from(notJson), pair.privateKey).toString("base64url")}`)).toBeNull();
  });
});

describe("the issuer", () => {
  it("must be exactly AUTH_URL's origin when it is set", async () => {
    vi.stubEnv("AUTH_URL", "https://auth.example.com");
    resetEnvCache();
    try {
      expect(await verifyAccessToken(signed(EDDSA, claimsAt(now(), { iss: "https://auth.example.com" })))).not.toBeNull();
      for (const iss of ["latchkey", "https://someone-else.example", "http://localhost:3000", undefined]) {
        expect(await verifyAccessToken(signed(EDDSA, claimsAt(now(), { iss })))).toBeNull();
      }
    } finally {
      vi.unstubAllEnvs();
      resetEnvCache();
    }
  });

  it("may be any origin without AUTH_URL, where each instance only guesses its own (the key still must be ours)", async () => {
    expect(await verifyAccessToken(signed(EDDSA, claimsAt(now(), { iss: "http://localhost:3999" })))).not.toBeNull();
    expect(await verifyAccessToken(signed(EDDSA, claimsAt(now(), { iss: undefined })))).toBeNull();
  });
});

describe("access token edges (each found by mutation testing)", () => {
  it("stamps iat and exp in seconds, now", async () => {
    const before = now();
    const claims = decodeJwt(await issueAccessToken({ userId: "u", sessionId: "s", authTime: before }));
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.iat).toBeLessThanOrEqual(now());
    expect(claims.exp! - claims.iat!).toBe(ACCESS_TOKEN_TTL_SECONDS);
  });

  it("takes a token of exactly the maximum length and refuses one character more", async () => {
    // base64url skips some lengths; padding the header as well as the claims reaches every one.
    // An Ed25519 signature is always 86 characters, so lengths are found without signing every candidate.
    const padFor = (length: number) => {
      for (let headerPad = 0; headerPad < 4; headerPad += 1) {
        // base64url turns 3 bytes into 4 characters: start a little below where the padding must end.
        const start = Math.max(0, Math.floor(((length - 88 - b64({ ...EDDSA, x: "" }).length - b64(claimsAt(now(), { pad: "" })).length) * 3) / 4) - 8);
        for (let pad = start; pad < length; pad += 1) {
          const [header, claims] = [{ ...EDDSA, x: "x".repeat(headerPad) }, claimsAt(now(), { pad: "x".repeat(pad) })];
          const tokenLength = b64(header).length + b64(claims).length + 2 + 86;
          if (tokenLength === length) return signed(header, claims);
          if (tokenLength > length) break;
        }
      }
      throw new Error(`no token of length ${length}`);
    };
    expect(await verifyAccessToken(padFor(MAX_ACCESS_TOKEN_LENGTH))).not.toBeNull();
    expect(await verifyAccessToken(padFor(MAX_ACCESS_TOKEN_LENGTH + 1))).toBeNull();
  });

  it("ends at exp, starts at nbf, and wants nbf as a number", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.UTC(2026, 11, 2, 12, 0, 0));
      const at = now();
      expect(await verifyAccessToken(signed(EDDSA, claimsAt(at, { exp: at })))).toBeNull();
      expect(await verifyAccessToken(signed(EDDSA, claimsAt(at, { exp: at + 1 })))).not.toBeNull();
      expect(await verifyAccessToken(signed(EDDSA, claimsAt(at, { nbf: at })))).not.toBeNull();
      expect(await verifyAccessToken(signed(EDDSA, claimsAt(at, { nbf: at + 1 })))).toBeNull();
      expect(await verifyAccessToken(signed(EDDSA, claimsAt(at, { nbf: String(at - 10) })))).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});
