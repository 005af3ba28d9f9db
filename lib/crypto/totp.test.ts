import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  base32Decode,
  base32Encode,
  createChallengeToken,
  createRecoveryCode,
  createTotpSecret,
  hashChallengeToken,
  hashRecoveryCode,
  looksLikeRecoveryCode,
  matchTotpStep,
  otpauthUrl,
  totpCode,
  totpStep,
} from "./totp";

// RFC 6238, appendix B: the SHA-1 seed, and the 8-digit codes' last 6 digits.
const RFC_SECRET = base32Encode(Buffer.from("12345678901234567890"));
const RFC_VECTORS: [number, string][] = [
  [59, "287082"],
  [1111111109, "081804"],
  [1111111111, "050471"],
  [1234567890, "005924"],
  [2000000000, "279037"],
  [20000000000, "353130"],
];

describe("TOTP", () => {
  it("matches the RFC 6238 test vectors", () => {
    for (const [seconds, code] of RFC_VECTORS) expect(totpCode(RFC_SECRET, totpStep(seconds * 1000))).toBe(code);
  });

  it("base32 round-trips and secrets are 160 random bits", () => {
    const secret = createTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
    expect(base32Encode(base32Decode(secret))).toBe(secret);
    expect(createTotpSecret()).not.toBe(secret);
  });

  it("accepts the current code and one step either side, nothing further, nothing malformed", () => {
    const now = 1_800_000_000_000;
    const step = totpStep(now);
    for (const offset of [-1, 0, 1]) expect(matchTotpStep(RFC_SECRET, totpCode(RFC_SECRET, step + offset), now)).toBe(step + offset);
    for (const offset of [-3, -2, 2, 3]) expect(matchTotpStep(RFC_SECRET, totpCode(RFC_SECRET, step + offset), now)).toBeNull();
    expect(matchTotpStep(RFC_SECRET, ` ${totpCode(RFC_SECRET, step).slice(0, 3)} ${totpCode(RFC_SECRET, step).slice(3)} `, now)).toBe(step);
    for (const junk of ["", "12345", "1234567", "abcdef", "12 34 5x"]) expect(matchTotpStep(RFC_SECRET, junk, now)).toBeNull();
  });

  it("builds the otpauth:// link authenticator apps scan", () => {
    const url = new URL(otpauthUrl("JBSWY3DPEHPK3PXP", "alice@example.com", "Latchkey"));
    expect(url.protocol).toBe("otpauth:");
    expect(url.host).toBe("totp");
    expect(decodeURIComponent(url.pathname)).toBe("/Latchkey:alice@example.com");
    expect(Object.fromEntries(url.searchParams)).toEqual({ secret: "JBSWY3DPEHPK3PXP", issuer: "Latchkey", algorithm: "SHA1", digits: "6", period: "30" });
    const branded = new URL(otpauthUrl("JBSWY3DPEHPK3PXP", "alice@example.com", "Acme ID"));
    expect(decodeURIComponent(branded.pathname)).toBe("/Acme ID:alice@example.com");
    expect(branded.searchParams.get("issuer")).toBe("Acme ID");
  });

  it("recovery codes: 80 bits in groups of four, hashed the same however they are typed", () => {
    const code = createRecoveryCode();
    expect(code).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
    expect(looksLikeRecoveryCode(code.toUpperCase().replace(/-/g, " "))).toBe(true);
    expect(hashRecoveryCode(code.toUpperCase().replace(/-/g, ""))).toBe(hashRecoveryCode(code));
    expect(hashRecoveryCode(code)).not.toContain(code);
    expect(looksLikeRecoveryCode("123456")).toBe(false);
  });
});

describe("TOTP and code edges (each found by mutation testing)", () => {
  it("encodes and decodes base32 as RFC 4648's test vectors say, trailing bits included", () => {
    const vectors: [string, string][] = [["f", "MY"], ["fo", "MZXQ"], ["foo", "MZXW6"], ["foob", "MZXW6YQ"], ["fooba", "MZXW6YTB"], ["foobar", "MZXW6YTBOI"]];
    for (const [plain, encoded] of vectors) {
      expect(base32Encode(Buffer.from(plain))).toBe(encoded);
      expect(base32Decode(encoded).toString()).toBe(plain);
    }
  });

  it("decodes the way people type a secret: lower case, spaces, dashes and padding; 'A' is zero; anything else throws", () => {
    expect(base32Decode("mzxw 6ytb-oi==").toString()).toBe("foobar");
    expect([...base32Decode("AAAAAAAA")]).toEqual([0, 0, 0, 0, 0]);
    expect(() => base32Decode("MZXW1")).toThrow("not base32");
  });

  it("hashes a recovery code as SHA-256 of its 16 lower-case characters, whatever the spacing", () => {
    const expected = createHash("sha256").update("abcdefghijklmnop").digest("hex");
    expect(hashRecoveryCode("abcd-efgh-ijkl-mnop")).toBe(expected);
    expect(hashRecoveryCode(" ABCD EFGH-IJKL mnop ")).toBe(expected);
  });

  it("recognises a recovery code only as exactly 16 base32 characters", () => {
    expect(looksLikeRecoveryCode("abcd-efgh-ijkl-mnop")).toBe(true);
    expect(looksLikeRecoveryCode("abcd-efgh-ijkl-mnopq")).toBe(false);
    expect(looksLikeRecoveryCode("1abcd-efgh-ijkl-mnop")).toBe(false);
    expect(looksLikeRecoveryCode("abcd-efgh-ijkl-mno")).toBe(false);
  });

  it("makes second-step tokens of 256 random bits, stored as their SHA-256", () => {
    const first = createChallengeToken();
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.tokenHash).toBe(createHash("sha256").update(first.token).digest("hex"));
    expect(hashChallengeToken(first.token)).toBe(first.tokenHash);
    expect(createChallengeToken().token).not.toBe(first.token);
  });

  it("answers the earliest matching step and null for a code that is close but wrong", () => {
    const secret = createTotpSecret();
    const now = Date.UTC(2026, 11, 2, 12, 0, 0);
    const step = totpStep(now);
    expect(matchTotpStep(secret, totpCode(secret, step - 1), now)).toBe(step - 1);
    const wrong = String((Number(totpCode(secret, step)) + 1) % 1_000_000).padStart(6, "0");
    const used = new Set([step - 1, step, step + 1].map((candidate) => totpCode(secret, candidate)));
    if (!used.has(wrong)) expect(matchTotpStep(secret, wrong, now)).toBeNull();
  });
});
