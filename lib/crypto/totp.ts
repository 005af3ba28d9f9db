import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** RFC 6238 as every authenticator app implements it: HMAC-SHA-1, 6 digits, 30-second steps. */
export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Codes from one step before or after now are accepted too (clock drift, a code typed as it turned over). */
export const TOTP_DRIFT_STEPS = 1;
/** 160 bits, the size RFC 4226 recommends for an HMAC-SHA-1 key. */
const TOTP_SECRET_BYTES = 20;

export const RECOVERY_CODE_COUNT = 10;
/** 16 base32 characters: 80 bits, so that a plain SHA-256 of each is safe to store. */
const RECOVERY_CODE_BYTES = 10;
const CHALLENGE_TOKEN_BYTES = 32;

const BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

export function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let output = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      output += BASE32_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) output += BASE32_ALPHABET[(value << (5 - bits)) & 31];
  return output;
}

export function base32Decode(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s=-]/g, "");
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const character of clean) {
    const index = BASE32_ALPHABET.indexOf(character);
    if (index < 0) throw new Error("not base32");
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

export function createTotpSecret(): string {
  return base32Encode(randomBytes(TOTP_SECRET_BYTES));
}

export function totpStep(nowMs = Date.now()): number {
  return Math.floor(nowMs / 1000 / TOTP_STEP_SECONDS);
}

/** RFC 4226's HOTP of one step: what an authenticator app shows during that step. */
export function totpCode(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 15;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** TOTP_DIGITS).padStart(TOTP_DIGITS, "0");
}

/** The step whose code this is, within the allowed drift of now; null when it matches none. */
export function matchTotpStep(secret: string, code: string, nowMs = Date.now()): number | null {
  const typed = code.replace(/\s/g, "");
  if (!/^\d+$/.test(typed) || typed.length !== TOTP_DIGITS) return null;
  const now = totpStep(nowMs);
  let matched: number | null = null;
  // Every candidate is compared, in constant time, so the timing doesn't say which step matched.
  for (let step = now - TOTP_DRIFT_STEPS; step <= now + TOTP_DRIFT_STEPS; step += 1) {
    if (timingSafeEqual(Buffer.from(totpCode(secret, step)), Buffer.from(typed)) && matched === null) matched = step;
  }
  return matched;
}

/**
 * What authenticator apps scan (Key Uri Format): issuer (the product's name, APP_NAME), account name, secret and the
 * parameters above.
 */
export function otpauthUrl(secret: string, accountName: string, issuer: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(accountName)}`;
  const parameters = new URLSearchParams({ secret, issuer, algorithm: "SHA1", digits: String(TOTP_DIGITS), period: String(TOTP_STEP_SECONDS) });
  return `otpauth://totp/${label}?${parameters}`;
}

/** "abcd-efgh-ijkl-mnop": lowercase base32 in groups of four, easy to read out and type. */
export function createRecoveryCode(): string {
  return base32Encode(randomBytes(RECOVERY_CODE_BYTES)).toLowerCase().match(/.{4}/g)!.join("-");
}

/** Case, spaces and dashes don't matter when a recovery code is typed back. */
export function hashRecoveryCode(code: string): string {
  return createHash("sha256").update(code.toLowerCase().replace(/[\s-]/g, "")).digest("hex");
}

export function looksLikeRecoveryCode(code: string): boolean {
  return /^[a-z2-7]{16}$/.test(code.toLowerCase().replace(/[\s-]/g, ""));
}

/** The token behind the "second step of sign-in" cookie; only its hash is stored. */
export function createChallengeToken(): { token: string; tokenHash: string } {
  const token = randomBytes(CHALLENGE_TOKEN_BYTES).toString("base64url");
  return { token, tokenHash: hashChallengeToken(token) };
}

export function hashChallengeToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
