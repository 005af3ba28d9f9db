import { createHmac, hkdfSync, randomUUID, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
export const ACCESS_TOKEN_ALGORITHM = "HS256";
export const ACCESS_TOKEN_ISSUER = "latchkey";
export const ACCESS_TOKEN_AUDIENCE = "latchkey-api";
/** Access tokens are compact JWTs of a few hundred bytes; anything far larger is junk. */
export const MAX_ACCESS_TOKEN_LENGTH = 4096;
// Distinct from the key Auth.js derives for session cookies, so one can never be replayed as the other.
const KEY_INFO = "latchkey access token signing key v1";

const keys = new Map<string, Uint8Array>();

export function signingKey(): Uint8Array {
  const secret = env().AUTH_SECRET;
  let key = keys.get(secret);
  if (!key) {
    key = new Uint8Array(hkdfSync("sha256", secret, "latchkey", KEY_INFO, 32));
    keys.set(secret, key);
  }
  return key;
}

/**
 * `sessionId` names the token's row in Session, which is what revocation deletes. `authTime` (the `auth_time`
 * claim, in seconds) is when the password (and code) that got the token were checked: sudo mode reads it.
 */
export type AccessTokenClaims = { userId: string; sessionId: string; authTime: number };

const ENCODED_HEADER = Buffer.from(JSON.stringify({ alg: ACCESS_TOKEN_ALGORITHM, typ: "JWT" })).toString("base64url");

function signature(signingInput: string): string {
  return createHmac("sha256", signingKey()).update(signingInput).digest("base64url");
}

function decodeJson(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export async function issueAccessToken({ userId, sessionId, authTime }: AccessTokenClaims): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    sid: sessionId,
    sub: userId,
    auth_time: Math.floor(authTime),
    iss: ACCESS_TOKEN_ISSUER,
    aud: ACCESS_TOKEN_AUDIENCE,
    iat: now,
    exp: now + ACCESS_TOKEN_TTL_SECONDS,
    jti: randomUUID(),
  };
  const signingInput = `${ENCODED_HEADER}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
  return `${signingInput}.${signature(signingInput)}`;
}

/**
 * The claims of a valid token, or null for anything forged, expired, or meant for someone else. Checked here with
 * node:crypto rather than a JOSE library: this runs on every bearer request, and an HMAC computed in place costs
 * a tenth of WebCrypto's, which also queues on the thread pool. Only HS256 is accepted, the signature must be the
 * exact base64url of our HMAC, and issuer, audience, expiry, subject, session id and an integer auth_time are all
 * required.
 */
export async function verifyAccessToken(token: string): Promise<AccessTokenClaims | null> {
  if (token.length > MAX_ACCESS_TOKEN_LENGTH) return null;
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [encodedHeader, encodedPayload, givenSignature] = parts;
  const header = decodeJson(encodedHeader);
  if (!header || header.alg !== ACCESS_TOKEN_ALGORITHM || "crit" in header) return null;
  const expected = Buffer.from(signature(`${encodedHeader}.${encodedPayload}`));
  const given = Buffer.from(givenSignature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const claims = decodeJson(encodedPayload);
  if (!claims) return null;
  const now = Math.floor(Date.now() / 1000);
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const valid =
    claims.iss === ACCESS_TOKEN_ISSUER &&
    audiences.includes(ACCESS_TOKEN_AUDIENCE) &&
    typeof claims.exp === "number" &&
    claims.exp > now &&
    typeof claims.iat === "number" &&
    (claims.nbf === undefined || (typeof claims.nbf === "number" && claims.nbf <= now)) &&
    typeof claims.sub === "string" &&
    typeof claims.sid === "string" &&
    Number.isSafeInteger(claims.auth_time);
  return valid ? { userId: claims.sub as string, sessionId: claims.sid as string, authTime: claims.auth_time as number } : null;
}
