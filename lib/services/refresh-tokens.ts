import { z } from "zod";
import { ACCESS_TOKEN_TTL_SECONDS, issueAccessToken, verifyAccessToken } from "@/lib/crypto/access-token";
import { createRefreshToken, hashRefreshToken, looksLikeRefreshToken } from "@/lib/crypto/refresh-token";
import { UTC_NOW_SQL, database, db, type PreparedStatement } from "@/lib/db/client";
import { newRowId } from "@/lib/db/row-id";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/errors";
import type { RequestContext } from "@/lib/security/request-context";
import { recordAudit, type AuditEventType } from "./audit";
import { sessionLifetimeSeconds } from "./sessions";
import { NOT_BLOCKED_SQL } from "./suspension";

export const tokenResponseSchema = z.object({
  access_token: z.string(),
  token_type: z.literal("Bearer"),
  expires_in: z.literal(ACCESS_TOKEN_TTL_SECONDS),
  refresh_token: z.string().describe("lkr_ + 43 base64url characters; single use: a refresh returns a new one"),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

/**
 * A family is one API sign-in: a REFRESH_TOKEN session row, the refresh tokens it was handed in turn, and the access
 * tokens issued with them, which all carry the row's id. Ending the row (log out everywhere, a password change or
 * reset, a lock, a deletion, an admin's revoke, revoking the family) ends every one of them.
 */
type FamilyRow = {
  tokenId: string;
  sessionId: string;
  userId: string;
  rotated: boolean;
  live: boolean;
  idleSeconds: number;
  authenticatedAtMs: number;
  expiresAtMs: number;
  issuedAtMs: number;
  /** Locked, or suspended until a time still to come. */
  locked: boolean;
};

// One indexed read (the token's hash is unique) decides every refusal: unknown, rotated, expired, idle or locked.
const FAMILY_OF_TOKEN: PreparedStatement = {
  name: "latchkey_refresh_token_family",
  text: `
    SELECT r."id" AS "tokenId", s."id" AS "sessionId", s."userId", r."rotatedAt" IS NOT NULL AS "rotated",
           s."expires" > (now() AT TIME ZONE 'UTC') AS "live",
           EXTRACT(EPOCH FROM ((now() AT TIME ZONE 'UTC') - s."lastSeenAt"))::float8 AS "idleSeconds",
           (EXTRACT(EPOCH FROM s."authenticatedAt") * 1000)::float8 AS "authenticatedAtMs",
           (EXTRACT(EPOCH FROM s."expires") * 1000)::float8 AS "expiresAtMs",
           (EXTRACT(EPOCH FROM r."createdAt") * 1000)::float8 AS "issuedAtMs",
           NOT (${NOT_BLOCKED_SQL}) AS "locked"
    FROM "RefreshToken" r JOIN "Session" s ON s."id" = r."sessionId" JOIN "User" u ON u."id" = s."userId"
    WHERE r."tokenHash" = $1`,
};

async function familyOf(token: string): Promise<FamilyRow | undefined> {
  if (!looksLikeRefreshToken(token)) return undefined;
  const [row] = await database().preparedQuery<FamilyRow>(FAMILY_OF_TOKEN, [hashRefreshToken(token)]);
  return row;
}

function isUsable(family: FamilyRow): boolean {
  return family.live && !family.locked && family.idleSeconds <= env().REFRESH_TOKEN_IDLE_TIMEOUT;
}

/**
 * For introspection (RFC 7662): the current refresh token of a live family, with when the family ends; null for
 * anything else (unknown, rotated, expired, idle, or its user locked or suspended). Looking never rotates or ends.
 */
export async function describeRefreshToken(
  token: string,
): Promise<{ userId: string; sessionId: string; authTime: number; issuedAt: number; expiresAt: number } | null> {
  const family = await familyOf(token);
  if (!family || family.rotated || !isUsable(family)) return null;
  return {
    userId: family.userId,
    sessionId: family.sessionId,
    authTime: Math.floor(family.authenticatedAtMs / 1000),
    issuedAt: Math.floor(family.issuedAtMs / 1000),
    expiresAt: Math.floor(family.expiresAtMs / 1000),
  };
}

async function tokenPair(userId: string, sessionId: string, authenticatedAtMs: number, refreshToken: string): Promise<TokenResponse> {
  // auth_time stays the sign-in's: refreshing never extends sudo mode.
  const authTime = Math.floor(authenticatedAtMs / 1000);
  return {
    access_token: await issueAccessToken({ userId, sessionId, authTime }),
    token_type: "Bearer",
    expires_in: ACCESS_TOKEN_TTL_SECONDS,
    refresh_token: refreshToken,
  };
}

// $1 the session's id, $2 the user, $3 its lifetime in seconds, $4 and $5 address and user agent, $6 the sign-in's
// time (ms), $7 the refresh token's id, $8 its hash.
const START_FAMILY: PreparedStatement = {
  name: "latchkey_refresh_token_family_start",
  text: `
    WITH session AS (
      INSERT INTO "Session" ("id", "userId", "kind", "expires", "lastSeenAt", "ip", "userAgent", "createdAt", "authenticatedAt")
      VALUES ($1::text, $2::text, 'REFRESH_TOKEN', ${UTC_NOW_SQL} + make_interval(secs => $3::int), ${UTC_NOW_SQL}, $4, $5,
              ${UTC_NOW_SQL}, to_timestamp($6::float8 / 1000) AT TIME ZONE 'UTC')
      RETURNING "id")
    INSERT INTO "RefreshToken" ("id", "sessionId", "tokenHash", "createdAt")
    SELECT $7::text, session."id", $8::text, ${UTC_NOW_SQL} FROM session`,
};

/** A new family, once every factor has passed: its authentication time is now, to the second. One statement writes
 * the session row and its first refresh token together. */
export async function startTokenFamily(userId: string, context: RequestContext): Promise<TokenResponse> {
  const authenticatedAtMs = Math.floor(Date.now() / 1000) * 1000;
  const { token, tokenHash } = createRefreshToken();
  const sessionId = newRowId();
  await database().preparedQuery(START_FAMILY, [
    sessionId,
    userId,
    sessionLifetimeSeconds("REFRESH_TOKEN"),
    context?.ip ?? null,
    context?.userAgent ?? null,
    authenticatedAtMs,
    newRowId(),
    tokenHash,
  ]);
  return tokenPair(userId, sessionId, authenticatedAtMs, token);
}

async function endFamily({ sessionId, userId }: { sessionId: string; userId: string }, type: AuditEventType, context: RequestContext): Promise<void> {
  await db().$transaction(async (tx) => {
    const { count } = await tx.session.deleteMany({ where: { id: sessionId, userId } });
    if (count === 0) return;
    await recordAudit({ type, actorId: userId, targetId: userId, context, detail: { sessionsEnded: count, via: "api" } }, tx);
  });
}

/**
 * The refresh grant with rotation (RFC 9700 §4.14.2): a new pair, and the presented token never works again. A
 * token presented after it was rotated means two parties hold it, and we can't tell which is the thief: the
 * whole family ends. `beforeRotating` runs once the token is known good (the rate limit), so garbage costs one read.
 */
export async function rotateRefreshToken(
  token: string,
  context: RequestContext,
  beforeRotating: () => Promise<void> = async () => {},
): Promise<TokenResponse> {
  const family = await familyOf(token);
  if (!family) throw ApiError.invalidCredentials();
  const reused = async () => {
    await endFamily(family, "token.reuse", context);
    return ApiError.invalidCredentials();
  };
  if (family.rotated) throw await reused();
  if (!isUsable(family)) throw ApiError.invalidCredentials();
  await beforeRotating();
  const next = createRefreshToken();
  const outcome = await db().$transaction(async (tx) => {
    // Refreshes of one family queue on its row; behind the first, the token is found rotated (and a family ended
    // meanwhile is found gone), so two requests with one token never both get a pair.
    const held = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "Session" WHERE "id" = ${family.sessionId} FOR UPDATE`;
    if (held.length === 0) return "ended";
    const now = new Date();
    const { count } = await tx.refreshToken.updateMany({ where: { id: family.tokenId, rotatedAt: null }, data: { rotatedAt: now } });
    if (count === 0) return "reused";
    await tx.refreshToken.create({ data: { sessionId: family.sessionId, tokenHash: next.tokenHash } });
    await tx.session.update({ where: { id: family.sessionId }, data: { lastSeenAt: now } });
    return "rotated";
  });
  if (outcome === "reused") throw await reused();
  if (outcome === "ended") throw ApiError.invalidCredentials();
  return tokenPair(family.userId, family.sessionId, family.authenticatedAtMs, next.token);
}

/**
 * RFC 7009: ends the family of a refresh token, or the session of an access token, and nothing else. Unknown,
 * malformed and already-ended tokens are not an error (the caller wanted it ended, and it is).
 */
export async function revokeToken(token: string, context: RequestContext): Promise<void> {
  const family = await familyOf(token);
  if (family) return endFamily(family, "token.revoke", context);
  const claims = looksLikeRefreshToken(token) ? null : await verifyAccessToken(token);
  if (claims) await endFamily(claims, "token.revoke", context);
}
