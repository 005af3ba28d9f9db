import { randomUUID, sign, verify } from "node:crypto";
import { env, publicOrigin } from "@/lib/env";
import { ACCESS_TOKEN_TTL_SECONDS, activeSigningKey, publishedKey } from "./signing-keys";

export { ACCESS_TOKEN_TTL_SECONDS };
export const ACCESS_TOKEN_ALGORITHM = "EdDSA";
export const ACCESS_TOKEN_AUDIENCE = "latchkey-api";
/** Access tokens are compact JWTs of a few hundred bytes; anything far larger is junk. */
export const MAX_ACCESS_TOKEN_LENGTH = 4096;
const SIGNATURE_BYTES = 64;

/** The `iss` of every token: the public origin, as `/.well-known/oauth-authorization-server` publishes it. */
export function accessTokenIssuer(): string {
  return publicOrigin();
}

/**
 * Whether `iss` names us. Without AUTH_URL each instance only guesses its origin (http://localhost:$PORT), so
 * instances on different ports would refuse each other's tokens; the signature under a key of ours already proves
 * who issued it, so then any string is taken. With AUTH_URL it must be exactly that origin.
 */
function isOurIssuer(issuer: unknown): boolean {
  return env().AUTH_URL ? issuer === accessTokenIssuer() : typeof issuer === "string";
}

/**
 * `sessionId` names the token's row in Session, which is what revocation deletes. `authTime` (the `auth_time`
 * claim, in seconds) is when the password (and code) that got the token were checked: sudo mode reads it.
 */
export type AccessTokenClaims = { userId: string; sessionId: string; authTime: number };

const encodedHeaders = new Map<string, string>();

function encodedHeader(kid: string): string {
  let header = encodedHeaders.get(kid);
  if (!header) {
    header = Buffer.from(JSON.stringify({ alg: ACCESS_TOKEN_ALGORITHM, typ: "JWT", kid })).toString("base64url");
    encodedHeaders.set(kid, header);
  }
  return header;
}

function decodeJson(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Signed with the active Ed25519 key from the database, which every instance shares; `kid` names it. */
export async function issueAccessToken({ userId, sessionId, authTime }: AccessTokenClaims): Promise<string> {
  const { kid, privateKey } = await activeSigningKey();
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    sid: sessionId,
    sub: userId,
    auth_time: Math.floor(authTime),
    iss: accessTokenIssuer(),
    aud: ACCESS_TOKEN_AUDIENCE,
    iat: now,
    exp: now + ACCESS_TOKEN_TTL_SECONDS,
    jti: randomUUID(),
  };
  const signingInput = `${encodedHeader(kid)}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
  return `${signingInput}.${sign(null, Buffer.from(signingInput), privateKey).toString("base64url")}`;
}

/**
 * The claims of a valid token, or null for anything forged, expired, or meant for someone else. Checked here with
 * node:crypto rather than a JOSE library: this runs on every bearer request, and a one-shot verify in place costs a
 * fraction of WebCrypto's, which also queues on the thread pool. Only EdDSA is accepted (no `none`, no HMAC, so no
 * public key can be passed off as a shared secret), the key must be one we publish, named by `kid`, the signature
 * must be canonical base64url, and issuer, audience, expiry, subject, session id and an integer auth_time are all
 * required.
 */
export async function verifyAccessToken(token: string): Promise<AccessTokenClaims | null> {
  if (token.length > MAX_ACCESS_TOKEN_LENGTH) return null;
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [header64, payload64, signature64] = parts;
  const header = decodeJson(header64);
  if (!header || header.alg !== ACCESS_TOKEN_ALGORITHM || "crit" in header || typeof header.kid !== "string") return null;
  const signature = Buffer.from(signature64, "base64url");
  if (signature.length !== SIGNATURE_BYTES || signature.toString("base64url") !== signature64) return null;
  const claims = decodeJson(payload64);
  if (!claims) return null;
  const key = await publishedKey(header.kid);
  if (!key || !verify(null, Buffer.from(`${header64}.${payload64}`), key, signature)) return null;
  const now = Math.floor(Date.now() / 1000);
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const valid =
    isOurIssuer(claims.iss) &&
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
