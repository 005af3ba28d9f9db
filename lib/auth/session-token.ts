import type { Role } from "@/lib/generated/prisma/enums";
import { db } from "@/lib/db/client";
import { sessionUserSelect } from "@/lib/services/user-dto";
import type { RequestContext } from "@/lib/security/request-context";
import { recordSuccessfulLogin } from "@/lib/services/login";
import { checkSession, createSession } from "@/lib/services/sessions";

export type SessionTokenClaims = {
  sub?: string;
  sid?: string;
  username?: string;
  email?: string | null;
  role?: Role;
  /** Set when the database could not be asked: the session is neither trusted nor ended. */
  unverified?: boolean;
  /** An administrator viewing as this user, as the session row says. */
  impersonation?: boolean;
};

/**
 * The revocation check behind every browser request: an ended session, a deleted or locked user or a changed
 * role shows here. Null ends the session. If the database can't be reached we can't tell, so the claims come
 * back marked unverified and the caller answers "temporarily unavailable" instead of signing the person out.
 */
export async function refreshSessionClaims<T extends SessionTokenClaims>(token: T): Promise<T | null> {
  if (!token.sub || typeof token.sid !== "string") return null;
  let current;
  try {
    current = await checkSession(token.sid, token.sub);
  } catch {
    return { ...token, unverified: true };
  }
  if (!current) return null;
  const { user } = current;
  return { ...token, unverified: false, username: user.username, email: user.email, role: user.role, impersonation: current.kind === "IMPERSONATION" };
}

/** After a sign-in through an identity provider: a session row like any other. (Linking from /account keeps its own.) */
export async function federatedSessionClaims(
  userId: string,
  provider: string,
  context: RequestContext | undefined,
): Promise<SessionTokenClaims | null> {
  const user = await db().user.findUnique({ where: { id: userId }, select: sessionUserSelect });
  if (!user) return null;
  const sid = await createSession(userId, "BROWSER", context);
  await recordSuccessfulLogin(userId, context ?? { ip: "", clientKey: "", userAgent: null }, { via: "form", provider });
  return { sub: userId, sid, username: user.username, email: user.email, role: user.role };
}
