import { ACCESS_TOKEN_TTL_SECONDS } from "@/lib/crypto/access-token";
import { SESSION_MAX_AGE_SECONDS } from "@/lib/services/session-config";
import { database, db, type PreparedStatement, type Transaction } from "@/lib/db/client";
import type { UserDto } from "@/lib/services/user-dto";
import { env } from "@/lib/env";
import type { Role, SessionKind } from "@/lib/generated/prisma/enums";
import { isRecentAuthentication } from "@/lib/security/recent-authentication";
import type { RequestContext } from "@/lib/security/request-context";

/** Last-seen times are written at most this often per session, so checking a session stays a read. */
export const SESSION_ACTIVITY_WRITE_INTERVAL_MS = 5 * 60 * 1000;

function lifetimeSeconds(kind: SessionKind): number {
  if (kind === "REFRESH_TOKEN") return env().REFRESH_TOKEN_LIFETIME;
  return kind === "BROWSER" ? SESSION_MAX_AGE_SECONDS : ACCESS_TOKEN_TTL_SECONDS;
}

/** `authenticatedAt`: when the password (and code) behind it were checked, if not just now. */
export async function createSession(
  userId: string,
  kind: SessionKind,
  context?: RequestContext,
  { authenticatedAt, tx = db() }: { authenticatedAt?: Date; tx?: Transaction } = {},
): Promise<string> {
  const session = await tx.session.create({
    data: {
      userId,
      kind,
      expires: new Date(Date.now() + lifetimeSeconds(kind) * 1000),
      ip: context?.ip ?? null,
      userAgent: context?.userAgent ?? null,
      ...(authenticatedAt && { authenticatedAt }),
    },
    select: { id: true },
  });
  return session.id;
}

type SessionCheckRow = {
  id: string;
  username: string;
  email: string;
  role: Role;
  emailVerified: boolean;
  createdAtMs: number;
  kind: SessionKind;
  live: boolean;
  idleSeconds: number;
};

const SESSION_CHECK: PreparedStatement = {
  name: "latchkey_session_check",
  text: `
    SELECT u."id", u."username", u."email", u."role"::text AS "role", u."emailVerified" IS NOT NULL AS "emailVerified",
           (EXTRACT(EPOCH FROM u."createdAt") * 1000)::float8 AS "createdAtMs",
           s."kind"::text AS "kind", s."expires" > (now() AT TIME ZONE 'UTC') AS "live",
           EXTRACT(EPOCH FROM ((now() AT TIME ZONE 'UTC') - s."lastSeenAt"))::float8 AS "idleSeconds"
    FROM "Session" s JOIN "User" u ON u."id" = s."userId"
    WHERE s."id" = $1 AND s."userId" = $2 AND u."lockedAt" IS NULL`,
};

/**
 * The revocation check behind every request: one indexed read (the session by primary key joined to its user),
 * and a write only when `lastSeenAt` is older than the activity interval. A deleted row (logout, log out
 * everywhere, password change, lock, user deletion), an expired or idle session, or a locked account all end here.
 * Returns the caller's profile, so `/me` needs no second read.
 */
export async function validateSession(sessionId: string, userId: string): Promise<UserDto | null> {
  const [row] = await database().preparedQuery<SessionCheckRow>(SESSION_CHECK, [sessionId, userId]);
  if (!row?.live) return null;
  if (row.kind === "BROWSER") {
    if (row.idleSeconds > env().SESSION_IDLE_TIMEOUT) return null;
    if (row.idleSeconds * 1000 > SESSION_ACTIVITY_WRITE_INTERVAL_MS) {
      await db().session.updateMany({ where: { id: sessionId }, data: { lastSeenAt: new Date() } });
    }
  }
  const { id, username, email, role, emailVerified, createdAtMs } = row;
  return { id, username, email, role, emailVerified, createdAt: new Date(createdAtMs).toISOString() };
}

/**
 * Sudo mode for a browser session: read only when an action needs it, so the check behind every request stays one
 * read. An ended session has no recent authentication.
 */
export async function isSessionRecentlyAuthenticated(sessionId: string): Promise<boolean> {
  const session = await db().session.findUnique({ where: { id: sessionId }, select: { authenticatedAt: true } });
  return isRecentAuthentication(session?.authenticatedAt.getTime(), env().AUTH_SUDO_WINDOW);
}

/** The person proved who they are again in this browser (the confirm page): sudo mode starts anew. */
export async function markSessionAuthenticated(sessionId: string, userId: string): Promise<void> {
  await db().session.updateMany({ where: { id: sessionId, userId, kind: "BROWSER" }, data: { authenticatedAt: new Date() } });
}

export async function endSession(sessionId: string): Promise<void> {
  await db().session.deleteMany({ where: { id: sessionId } });
}

/**
 * Ends every session and access token of a user, or all but the one the request came with, and with them the
 * half-finished steps a signed-in person (or one who knew the password) may have started: pending 2FA sign-ins,
 * provider linking intents and unconfirmed changes of address. Otherwise a thief shut out by "log out everywhere",
 * a password change, a reset or an admin could still finish signing in, link a provider, or move the account to
 * their own address with a link already in their mailbox. Returns the number of sessions ended.
 */
export async function endUserSessions(userId: string, keepSessionId?: string, tx: Transaction = db()): Promise<number> {
  const { count } = await tx.session.deleteMany({ where: { userId, ...(keepSessionId && { id: { not: keepSessionId } }) } });
  await tx.mfaChallenge.deleteMany({ where: { userId } });
  await tx.linkIntent.deleteMany({ where: { userId } });
  await tx.emailToken.deleteMany({ where: { userId, purpose: "CHANGE_EMAIL", usedAt: null } });
  return count;
}

export async function deleteExpiredSessions(): Promise<number> {
  const idleCutoff = (seconds: number) => ({ lt: new Date(Date.now() - seconds * 1000) });
  const { count } = await db().session.deleteMany({
    where: {
      OR: [
        { expires: { lt: new Date() } },
        { kind: "BROWSER", lastSeenAt: idleCutoff(env().SESSION_IDLE_TIMEOUT) },
        { kind: "REFRESH_TOKEN", lastSeenAt: idleCutoff(env().REFRESH_TOKEN_IDLE_TIMEOUT) },
      ],
    },
  });
  return count;
}
