import { ACCESS_TOKEN_TTL_SECONDS } from "@/lib/auth/access-token";
import { SESSION_MAX_AGE_SECONDS } from "@/lib/auth/session-config";
import { db } from "@/lib/db/client";
import { sessionUserSelect, type SessionUser } from "@/lib/dal/user-dto";
import { env } from "@/lib/env";
import type { SessionKind } from "@/lib/generated/prisma/enums";
import type { RequestContext } from "@/lib/security/request-context";

/** Last-seen times are written at most this often per session, so checking a session stays a read. */
export const SESSION_ACTIVITY_WRITE_INTERVAL_MS = 5 * 60 * 1000;

const LIFETIME_SECONDS: Record<SessionKind, number> = {
  BROWSER: SESSION_MAX_AGE_SECONDS,
  ACCESS_TOKEN: ACCESS_TOKEN_TTL_SECONDS,
};

export async function createSession(userId: string, kind: SessionKind, context?: RequestContext): Promise<string> {
  const session = await db().session.create({
    data: {
      userId,
      kind,
      expires: new Date(Date.now() + LIFETIME_SECONDS[kind] * 1000),
      ip: context?.ip ?? null,
      userAgent: context?.userAgent ?? null,
    },
    select: { id: true },
  });
  return session.id;
}

/**
 * The revocation check behind every request: one read by primary key. A deleted row (logout, log out everywhere,
 * password change, lock, user deletion), an expired or idle session, or a locked account all end here.
 */
export async function validateSession(sessionId: string, userId: string): Promise<SessionUser | null> {
  const session = await db().session.findUnique({
    where: { id: sessionId },
    select: { userId: true, kind: true, expires: true, lastSeenAt: true, user: { select: { ...sessionUserSelect, lockedAt: true } } },
  });
  if (!session || session.userId !== userId || session.user.lockedAt) return null;
  const now = Date.now();
  if (session.expires.getTime() <= now) return null;
  if (session.kind === "BROWSER") {
    const idle = now - session.lastSeenAt.getTime();
    if (idle > env().SESSION_IDLE_TIMEOUT * 1000) return null;
    if (idle > SESSION_ACTIVITY_WRITE_INTERVAL_MS) {
      await db().session.updateMany({ where: { id: sessionId }, data: { lastSeenAt: new Date(now) } });
    }
  }
  const { lockedAt: _locked, ...user } = session.user;
  return user;
}

export async function endSession(sessionId: string): Promise<void> {
  await db().session.deleteMany({ where: { id: sessionId } });
}

/** Ends every session and access token of a user, or all but the one the request came with. */
export async function endUserSessions(userId: string, keepSessionId?: string): Promise<number> {
  const { count } = await db().session.deleteMany({
    where: { userId, ...(keepSessionId && { id: { not: keepSessionId } }) },
  });
  return count;
}

export async function deleteExpiredSessions(): Promise<number> {
  const idleCutoff = new Date(Date.now() - env().SESSION_IDLE_TIMEOUT * 1000);
  const { count } = await db().session.deleteMany({
    where: { OR: [{ expires: { lt: new Date() } }, { kind: "BROWSER", lastSeenAt: { lt: idleCutoff } }] },
  });
  return count;
}
