import { db } from "@/lib/db/client";
import { createSessionGrant, hashSessionGrant, looksLikeSessionGrant } from "@/lib/crypto/session-grant";
import { ApiError } from "@/lib/errors";
import type { RequestContext } from "@/lib/security/request-context";
import { recordAudit } from "./audit";
import { IMPERSONATION_MAX_AGE_SECONDS } from "./session-config";
import { isBlocked } from "./suspension";
import { sessionUserSelect, type SessionUser } from "./user-dto";

/**
 * "View as this user": an administrator's browser takes a session of the user's, read-only, for at most
 * IMPERSONATION_MAX_AGE_SECONDS. The session row is of kind IMPERSONATION and points at the administrator's own
 * browser session, which the browser gets back on "Stop viewing" and whose end (logout, log out everywhere, a lock)
 * ends it. The hand-over to the browser goes through Auth.js with a one-time grant, so the cookie is Auth.js's own.
 */

/** Whether the admin pages offer "View as" for a user: the rule startImpersonation enforces, on the row they show. */
export function canBeViewedAs(user: { role: string; locked: boolean; suspendedUntil: string | null }): boolean {
  return user.role === "USER" && !user.locked && !user.suspendedUntil;
}

/**
 * Starts viewing as `userId`; the grant is for `switchSession` in the same request (and `sessionId` to stop it if that
 * hand-over fails).
 */
export async function startImpersonation(
  admin: { id: string; sessionId: string },
  userId: string,
  reason: string,
  context: RequestContext,
): Promise<{ grant: string; sessionId: string }> {
  const { grant, grantHash } = createSessionGrant();
  const sessionId = await db().$transaction(async (tx) => {
    const target = await tx.user.findUnique({ where: { id: userId }, select: { role: true, lockedAt: true, suspendedUntil: true } });
    if (!target) throw ApiError.notFound("user");
    if (target.role !== "USER" || isBlocked(target)) throw ApiError.of("impersonation_refused");
    const own = await tx.session.findFirst({ where: { id: admin.sessionId, userId: admin.id, kind: "BROWSER" }, select: { id: true } });
    // Only a browser session of the administrator's own can be returned to (not another impersonation).
    if (!own) throw ApiError.forbidden();
    const created = await tx.session.create({
      select: { id: true },
      data: {
        userId,
        kind: "IMPERSONATION",
        impersonatorSessionId: admin.sessionId,
        grantHash,
        expires: new Date(Date.now() + IMPERSONATION_MAX_AGE_SECONDS * 1000),
        // Never in sudo mode: nothing that needs a fresh password can happen while viewing.
        authenticatedAt: new Date(0),
        ip: context.ip || null,
        userAgent: context.userAgent,
      },
    });
    await recordAudit({ type: "impersonation.start", actorId: admin.id, targetId: userId, context, detail: { impersonationReason: reason } }, tx);
    return created.id;
  });
  return { grant, sessionId };
}

/**
 * What becomes of the administrator's own session when viewing stops: the browser gets it back ("Stop viewing"), it
 * ends with the view (signing out, since that browser held both), or it stays as it is (the hand-over never happened).
 */
export type AdministratorSession = "return" | "end" | "keep";

/**
 * Ends viewing as someone, audited as the administrator. With "return", the administrator's own session (if still
 * live) gets a grant to return to. Null when there was nothing to end (already ended, by a second click or its
 * expiry): one stop, one audit event. `userId` is the account that was viewed.
 */
export async function stopImpersonation(
  sessionId: string,
  context: RequestContext | undefined,
  administratorSession: AdministratorSession = "return",
): Promise<{ grant: string | null; userId: string } | null> {
  return db().$transaction(async (tx) => {
    const row = await tx.session.findFirst({
      where: { id: sessionId, kind: "IMPERSONATION" },
      select: { userId: true, impersonator: { select: { id: true, userId: true, expires: true } } },
    });
    if (!row) return null;
    const { count } = await tx.session.deleteMany({ where: { id: sessionId } });
    if (count !== 1) return null;
    const admin = row.impersonator;
    if (admin) await recordAudit({ type: "impersonation.stop", actorId: admin.userId, targetId: row.userId, context }, tx);
    if (admin && administratorSession === "end") await tx.session.deleteMany({ where: { id: admin.id } });
    if (administratorSession !== "return" || !admin || admin.expires <= new Date()) return { grant: null, userId: row.userId };
    const { grant, grantHash } = createSessionGrant();
    await tx.session.update({ where: { id: admin.id }, data: { grantHash } });
    return { grant, userId: row.userId };
  });
}

/**
 * The "impersonation" provider's check: the session a grant names, once. The session check behind the next request
 * still decides whether it is live (a demoted, locked or logged-out administrator's impersonation is not).
 */
export async function redeemSessionGrant(grant: unknown): Promise<{ user: SessionUser; sessionId: string; impersonation: boolean } | null> {
  if (!looksLikeSessionGrant(grant)) return null;
  const grantHash = hashSessionGrant(grant);
  return db().$transaction(async (tx) => {
    const row = await tx.session.findUnique({
      where: { grantHash },
      select: { id: true, kind: true, expires: true, user: { select: sessionUserSelect } },
    });
    if (!row) return null;
    const { count } = await tx.session.updateMany({ where: { id: row.id, grantHash }, data: { grantHash: null } });
    if (count !== 1 || row.expires <= new Date()) return null;
    return { user: row.user, sessionId: row.id, impersonation: row.kind === "IMPERSONATION" };
  });
}
