import { z } from "zod";
import { ACCESS_TOKEN_TTL_SECONDS } from "@/lib/crypto/access-token";
import { IMPERSONATION_MAX_AGE_SECONDS, SESSION_MAX_AGE_SECONDS } from "@/lib/services/session-config";
import { database, db, type PreparedStatement, type Transaction } from "@/lib/db/client";
import { USER_DTO_COLUMNS_SQL, userDtoFromColumns, type UserDto, type UserDtoColumns } from "@/lib/services/user-dto";
import { env } from "@/lib/env";
import type { SessionKind } from "@/lib/generated/prisma/enums";
import { isRecentAuthentication } from "@/lib/security/recent-authentication";
import type { RequestContext } from "@/lib/security/request-context";
import { ApiError } from "@/lib/errors";
import { recordAudit } from "./audit";
import type { Locale } from "@/i18n/locales";
import { describeDevice } from "./device-name";
import { NOT_BLOCKED_SQL, notBlockedSql } from "./suspension";

/** Last-seen times are written at most this often per session, so checking a session stays a read. */
export const SESSION_ACTIVITY_WRITE_INTERVAL_MS = 5 * 60 * 1000;

export function sessionLifetimeSeconds(kind: SessionKind): number {
  switch (kind) {
    case "REFRESH_TOKEN":
      return env().REFRESH_TOKEN_LIFETIME;
    case "BROWSER":
      return SESSION_MAX_AGE_SECONDS;
    case "IMPERSONATION":
      return IMPERSONATION_MAX_AGE_SECONDS;
    case "ACCESS_TOKEN":
      return ACCESS_TOKEN_TTL_SECONDS;
  }
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
      expires: new Date(Date.now() + sessionLifetimeSeconds(kind) * 1000),
      ip: context?.ip ?? null,
      userAgent: context?.userAgent ?? null,
      ...(authenticatedAt && { authenticatedAt }),
    },
    select: { id: true },
  });
  return session.id;
}

type SessionCheckRow = UserDtoColumns & { kind: SessionKind; live: boolean; idleSeconds: number; impersonatorSessionId: string | null };

/**
 * An impersonation lives only while the administrator behind it could still start one: their own browser session
 * live, their role still ADMIN and their account neither locked nor suspended; and only while the user viewed is
 * still a plain user.
 */
const IMPERSONATION_LIVE_SQL = `(s."kind" <> 'IMPERSONATION' OR (u."role" = 'USER' AND EXISTS (
      SELECT 1 FROM "Session" a JOIN "User" au ON au."id" = a."userId"
      WHERE a."id" = s."impersonatorSessionId" AND a."kind" = 'BROWSER' AND a."expires" > (now() AT TIME ZONE 'UTC')
        AND au."role" = 'ADMIN' AND ${notBlockedSql("au")})))`;

const SESSION_CHECK: PreparedStatement = {
  name: "latchkey_session_check",
  text: `
    SELECT ${USER_DTO_COLUMNS_SQL},
           s."kind"::text AS "kind", s."impersonatorSessionId",
           s."expires" > (now() AT TIME ZONE 'UTC') AND ${IMPERSONATION_LIVE_SQL} AS "live",
           EXTRACT(EPOCH FROM ((now() AT TIME ZONE 'UTC') - s."lastSeenAt"))::float8 AS "idleSeconds"
    FROM "Session" s JOIN "User" u ON u."id" = s."userId"
    WHERE s."id" = $1 AND s."userId" = $2 AND ${NOT_BLOCKED_SQL}`,
};

/** What the check behind every request knows about a live session: whose it is, and what kind. */
export type CheckedSession = { user: UserDto; kind: SessionKind };

/**
 * The revocation check behind every request: one indexed read (the session by primary key joined to its user),
 * and a write only when `lastSeenAt` is older than the activity interval. A deleted row (logout, log out
 * everywhere, password change, lock, user deletion), an expired or idle session, a locked or suspended account, or
 * an impersonation whose administrator can no longer impersonate all end here.
 */
export async function checkSession(sessionId: string, userId: string): Promise<CheckedSession | null> {
  const [row] = await database().preparedQuery<SessionCheckRow>(SESSION_CHECK, [sessionId, userId]);
  if (!row?.live) return null;
  if (row.kind === "BROWSER" || row.kind === "IMPERSONATION") {
    if (row.idleSeconds > env().SESSION_IDLE_TIMEOUT) return null;
    if (row.idleSeconds * 1000 > SESSION_ACTIVITY_WRITE_INTERVAL_MS) {
      // The administrator's own session is in use too while they view as someone: it must not go idle meanwhile.
      const ids = row.impersonatorSessionId ? [sessionId, row.impersonatorSessionId] : [sessionId];
      await db().session.updateMany({ where: { id: { in: ids } }, data: { lastSeenAt: new Date() } });
    }
  }
  return { user: userDtoFromColumns(row), kind: row.kind };
}

/** The check behind every request, for callers that need only the profile (it saves `/me` a second read). */
export async function validateSession(sessionId: string, userId: string): Promise<UserDto | null> {
  return (await checkSession(sessionId, userId))?.user ?? null;
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

/** Logging out ends the browser's session (Auth.js's sign-out; "Log out" while viewing as someone stops viewing). */
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

/** What a session is to the person who owns it: a browser sign-in, or credentials a program holds. */
export type SessionViewKind = "browser" | "api";

/** Every kind maps to a public one; a new SessionKind fails to compile here until it is given its place. */
export function sessionViewKind(kind: SessionKind): SessionViewKind {
  switch (kind) {
    case "BROWSER":
      return "browser";
    case "ACCESS_TOKEN":
    case "REFRESH_TOKEN":
      return "api";
    // Never listed (listUserSessions leaves it out): the user sees it in their activity instead.
    case "IMPERSONATION":
      return "browser";
    default: {
      const unmapped: never = kind;
      throw new Error(`Unmapped session kind ${String(unmapped)}`);
    }
  }
}

/**
 * One row of "Where you're signed in". `lastUsedAt` is the last request a browser made (written at most every
 * SESSION_ACTIVITY_WRITE_INTERVAL_MS); for a refresh-token family, its last refresh; an access token's own row is never
 * written after it is issued, so for it this is when it was issued.
 */
export const sessionViewSchema = z.object({
  id: z.string(),
  kind: z.enum(["browser", "api"]),
  device: z.string(),
  ip: z.string().nullable(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime(),
  current: z.boolean(),
});
export type SessionView = z.infer<typeof sessionViewSchema>;

/** More than any person has at once; access tokens expire within 15 minutes. */
const SESSION_LIST_LIMIT = 200;

/** The user's live sessions (not expired, not idle past the timeout), most recently used first. */
export async function listUserSessions(userId: string, currentSessionId?: string, locale?: Locale): Promise<SessionView[]> {
  const now = new Date();
  const idleCutoff = new Date(now.getTime() - env().SESSION_IDLE_TIMEOUT * 1000);
  const refreshIdleCutoff = new Date(now.getTime() - env().REFRESH_TOKEN_IDLE_TIMEOUT * 1000);
  const rows = await db().session.findMany({
    where: {
      userId,
      expires: { gt: now },
      // An administrator viewing as the user is not the user's sign-in: their activity says so instead.
      kind: { not: "IMPERSONATION" },
      NOT: [
        { kind: "BROWSER", lastSeenAt: { lt: idleCutoff } },
        { kind: "REFRESH_TOKEN", lastSeenAt: { lt: refreshIdleCutoff } },
      ],
    },
    select: { id: true, kind: true, ip: true, userAgent: true, createdAt: true, lastSeenAt: true },
    orderBy: [{ lastSeenAt: "desc" }, { id: "asc" }],
    take: SESSION_LIST_LIMIT,
  });
  return rows.map((row) => ({
    id: row.id,
    kind: sessionViewKind(row.kind),
    device: describeDevice(row.userAgent, locale),
    ip: row.ip,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastSeenAt.toISOString(),
    current: row.id === currentSessionId,
  }));
}

/**
 * Ends one of the user's own sessions (the current one too): its cookie or token is refused on its next request.
 * Someone else's session answers exactly like one that doesn't exist.
 */
export async function endOwnSession(userId: string, sessionId: string, context: RequestContext): Promise<void> {
  const { count } = await db().session.deleteMany({ where: { id: sessionId, userId } });
  if (!count) throw ApiError.notFound("session");
  await recordAudit({ type: "session.end", actorId: userId, targetId: userId, context, detail: { via: "account", sessionsEnded: 1 } });
}

/** "Sign out of all other sessions": every session and token but the one asking; API keys stay. */
export async function endOtherSessions(userId: string, currentSessionId: string, context: RequestContext): Promise<number> {
  const sessionsEnded = await endUserSessions(userId, currentSessionId);
  await recordAudit({ type: "session.end_others", actorId: userId, targetId: userId, context, detail: { via: "account", sessionsEnded } });
  return sessionsEnded;
}
