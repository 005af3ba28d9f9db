import { createHash, randomBytes } from "node:crypto";

/** The prefix tells secret scanners (and people) what leaked; it also keeps it apart from `lk_` API keys. */
export const REFRESH_TOKEN_PREFIX = "lkr_";
/** 256 bits from the OS CSPRNG, as 43 base64url characters. */
const REFRESH_TOKEN_BYTES = 32;
const REFRESH_TOKEN_SHAPE = new RegExp(`^${REFRESH_TOKEN_PREFIX}[A-Za-z0-9_-]{43}$`);

export function createRefreshToken(): { token: string; tokenHash: string } {
  const token = `${REFRESH_TOKEN_PREFIX}${randomBytes(REFRESH_TOKEN_BYTES).toString("base64url")}`;
  return { token, tokenHash: hashRefreshToken(token) };
}

/** Only this is stored: a database leak yields no usable refresh token. */
export function hashRefreshToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Anything else is refused before the database is asked. */
export function looksLikeRefreshToken(candidate: string): boolean {
  return REFRESH_TOKEN_SHAPE.test(candidate);
}
