import { createHash, randomBytes } from "node:crypto";

/** 256 bits from the OS CSPRNG, as 43 base64url characters. */
export const EMAIL_TOKEN_BYTES = 32;
export const RESET_TOKEN_TTL_SECONDS = 60 * 60;
export const VERIFY_EMAIL_TOKEN_TTL_SECONDS = 24 * 60 * 60;
export const CHANGE_EMAIL_TOKEN_TTL_SECONDS = 24 * 60 * 60;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function createEmailToken(): { token: string; tokenHash: string } {
  const token = randomBytes(EMAIL_TOKEN_BYTES).toString("base64url");
  return { token, tokenHash: hashEmailToken(token) };
}

/** Only this is stored: a database leak yields no usable link. */
export function hashEmailToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function looksLikeEmailToken(candidate: unknown): candidate is string {
  return typeof candidate === "string" && TOKEN_SHAPE.test(candidate);
}
