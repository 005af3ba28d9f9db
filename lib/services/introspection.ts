import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, verifyAccessToken } from "@/lib/crypto/access-token";
import { isApiKey } from "@/lib/crypto/api-key";
import { scopesAllowedFor } from "@/lib/validations/api-key-scopes";
import { authenticateApiKey } from "./api-keys";
import { validateSession } from "./sessions";

/**
 * RFC 7662 answers. Anything not live (forged, expired, revoked, its session ended, its owner locked or deleted,
 * a kind of token we don't know) is `{active: false}` and nothing more, so the answer tells a caller nothing about
 * why.
 */
export type Introspection =
  | { active: false }
  | {
      active: true;
      token_type: "access_token" | "api_key";
      sub: string;
      username: string;
      scope: string;
      iss: string;
      iat: number;
      exp?: number;
      aud?: string | string[];
      auth_time?: number;
    };

const INACTIVE: Introspection = { active: false };

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** The payload of a token verifyAccessToken has already accepted: its signature, issuer and expiry are checked. */
function verifiedPayload(token: string): { exp: number; iat: number; aud: string | string[] } {
  return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));
}

async function introspectApiKey(token: string): Promise<Introspection> {
  const holder = await authenticateApiKey(token);
  if (!holder) return INACTIVE;
  return {
    active: true,
    token_type: "api_key",
    sub: holder.owner.id,
    username: holder.owner.username,
    scope: holder.scopes.join(" "),
    iss: ACCESS_TOKEN_ISSUER,
    iat: seconds(holder.createdAt),
    ...(holder.expiresAt && { exp: seconds(holder.expiresAt) }),
  };
}

/**
 * An access token is active while its signature holds, it has not expired, and its session row still exists for a
 * user who is not locked: the same check as every API request. It is not scoped, so its `scope` is everything its
 * user's role lets a person do through the API (introspection itself is for keys only).
 */
async function introspectAccessToken(token: string): Promise<Introspection | null> {
  const claims = await verifyAccessToken(token);
  if (!claims) return null;
  const user = await validateSession(claims.sessionId, claims.userId);
  if (!user) return INACTIVE;
  const { exp, iat, aud } = verifiedPayload(token);
  return {
    active: true,
    token_type: "access_token",
    sub: user.id,
    username: user.username,
    scope: scopesAllowedFor(user.role)
      .filter((scope) => scope !== "tokens:introspect")
      .join(" "),
    iss: ACCESS_TOKEN_ISSUER,
    aud: aud ?? ACCESS_TOKEN_AUDIENCE,
    iat,
    exp,
    auth_time: claims.authTime,
  };
}

/**
 * Each kind of token Latchkey issues is tried in turn; a new kind (refresh tokens) adds its own branch before the
 * final `INACTIVE`, which is what every token of a kind we don't know gets.
 */
export async function introspectToken(token: string): Promise<Introspection> {
  if (isApiKey(token)) return introspectApiKey(token);
  const accessToken = await introspectAccessToken(token);
  if (accessToken) return accessToken;
  return INACTIVE;
}
