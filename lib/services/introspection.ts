import { z } from "zod";
import { ACCESS_TOKEN_AUDIENCE, accessTokenIssuer, verifyAccessToken } from "@/lib/crypto/access-token";
import { isApiKey } from "@/lib/crypto/api-key";
import { looksLikeRefreshToken } from "@/lib/crypto/refresh-token";
import type { Role } from "@/lib/generated/prisma/enums";
import { scopesAllowedFor } from "@/lib/validations/api-key-scopes";
import { authenticateApiKey } from "./api-keys";
import { getUser } from "./accounts";
import { describeRefreshToken } from "./refresh-tokens";
import { validateSession } from "./sessions";

/**
 * RFC 7662 answers. Anything not live (forged, expired, revoked, its session ended, its owner locked or deleted,
 * a kind of token we don't know) is `{active: false}` and nothing more, so the answer tells a caller nothing about
 * why.
 */
export const introspectionSchema = z.union([
  z.object({ active: z.literal(false) }),
  z.object({
    active: z.literal(true),
    token_type: z.enum(["access_token", "api_key", "refresh_token"]),
    sub: z.string(),
    username: z.string(),
    scope: z.string().describe("Space-separated scopes; for an access or refresh token, what its user's role allows"),
    iss: z.string(),
    iat: z.number().int().optional(),
    exp: z.number().int().optional().describe("Absent for an API key that never expires"),
    aud: z.union([z.string(), z.array(z.string())]).optional(),
    auth_time: z.number().int().optional(),
  }),
]);
export type Introspection = z.infer<typeof introspectionSchema>;

const INACTIVE: Introspection = { active: false };

/** Access and refresh tokens are not scoped: they carry what the user's role lets a person do through the API. */
const personScope = (role: Role) => scopesAllowedFor(role).filter((scope) => scope !== "tokens:introspect").join(" ");

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
    iss: accessTokenIssuer(),
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
    scope: personScope(user.role),
    iss: accessTokenIssuer(),
    aud: aud ?? ACCESS_TOKEN_AUDIENCE,
    iat,
    exp,
    auth_time: claims.authTime,
  };
}

/** A refresh token is active while it is its family's current one and the family is live (refresh-tokens.ts). */
async function introspectRefreshToken(token: string): Promise<Introspection> {
  const family = await describeRefreshToken(token);
  const user = family && (await getUser(family.userId));
  if (!family || !user) return INACTIVE;
  return {
    active: true,
    token_type: "refresh_token",
    sub: user.id,
    username: user.username,
    scope: personScope(user.role),
    iss: accessTokenIssuer(),
    iat: family.issuedAt,
    exp: family.expiresAt,
    auth_time: family.authTime,
  };
}

/**
 * Each kind of token Latchkey issues is tried in turn; the final `INACTIVE` is what every token of a kind we don't
 * know gets.
 */
export async function introspectToken(token: string): Promise<Introspection> {
  if (isApiKey(token)) return introspectApiKey(token);
  if (looksLikeRefreshToken(token)) return introspectRefreshToken(token);
  const accessToken = await introspectAccessToken(token);
  if (accessToken) return accessToken;
  return INACTIVE;
}
