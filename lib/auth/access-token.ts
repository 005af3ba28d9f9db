import { hkdfSync, randomUUID } from "node:crypto";
import { SignJWT, jwtVerify } from "jose";
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

/** `sessionId` names the token's row in Session, which is what revocation deletes. */
export type AccessTokenClaims = { userId: string; sessionId: string };

export async function issueAccessToken({ userId, sessionId }: AccessTokenClaims): Promise<string> {
  return new SignJWT({ sid: sessionId })
    .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, typ: "JWT" })
    .setSubject(userId)
    .setIssuer(ACCESS_TOKEN_ISSUER)
    .setAudience(ACCESS_TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
    .setJti(randomUUID())
    .sign(signingKey());
}

/** The claims of a valid token, or null for anything forged, expired, or meant for someone else. */
export async function verifyAccessToken(token: string): Promise<AccessTokenClaims | null> {
  if (token.length > MAX_ACCESS_TOKEN_LENGTH) return null;
  try {
    const { payload } = await jwtVerify(token, signingKey(), {
      algorithms: [ACCESS_TOKEN_ALGORITHM],
      issuer: ACCESS_TOKEN_ISSUER,
      audience: ACCESS_TOKEN_AUDIENCE,
      requiredClaims: ["exp", "iat", "sub"],
    });
    if (typeof payload.sub !== "string" || typeof payload.sid !== "string") return null;
    return { userId: payload.sub, sessionId: payload.sid };
  } catch {
    return null;
  }
}
