import "server-only";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { auth } from "@/auth";
import type { SessionUser } from "@/lib/services/user-dto";
import type { Role } from "@/lib/generated/prisma/enums";
import { requestContext, type RequestContext } from "@/lib/security/request-context";
import { isSessionRecentlyAuthenticated } from "@/lib/services/sessions";
import { whileAvailable } from "./availability";
import { DatabaseUnavailableError } from "@/lib/services/errors";
import { withNotice } from "@/lib/forms/notices";

/**
 * The signed-in user and the id of this browser's session, after the database revocation check. `impersonation`:
 * an administrator is viewing as this user, and may look but change nothing.
 */
export type CurrentSession = { user: SessionUser; sessionId: string; impersonation: boolean };

export const currentSession = cache(async (): Promise<CurrentSession | null> => {
  const session = await auth();
  if (!session?.user?.id || !session.user.username || !session.sessionId) return null;
  const user = session.user;
  if (user.unverified) throw new DatabaseUnavailableError();
  return {
    user: { id: user.id, username: user.username, email: user.email, role: user.role },
    sessionId: session.sessionId,
    impersonation: session.impersonation === true,
  };
});

/**
 * For the page's frame (header, banner, status pages): the session, or null when nobody is signed in and while the
 * database is away (the page below says what is wrong).
 */
export async function currentSessionForFrame(): Promise<CurrentSession | null> {
  try {
    return await currentSession();
  } catch (error) {
    if (error instanceof DatabaseUnavailableError) return null;
    throw error;
  }
}

/** Whether an administrator is viewing as the signed-in user (for the forbidden page's words). */
export async function isImpersonating(): Promise<boolean> {
  return (await currentSessionForFrame())?.impersonation ?? false;
}

/** Only the user: what pages render from, so a session id never reaches RSC props. */
export async function currentUser(): Promise<SessionUser | null> {
  return (await currentSession())?.user ?? null;
}

export async function requireSession(callbackPath = "/dashboard"): Promise<CurrentSession> {
  const session = await whileAvailable(currentSession);
  if (!session) redirect(`/login?callbackUrl=${encodeURIComponent(callbackPath)}`);
  return session;
}

export async function requireUser(callbackPath = "/dashboard"): Promise<SessionUser> {
  return (await requireSession(callbackPath)).user;
}

/**
 * An administrator viewing as the user changes nothing: the browser goes to /account, which says why (a redirect reads
 * the same with and without JavaScript).
 */
export function refuseWhileViewing(session: CurrentSession | null): void {
  if (session?.impersonation) redirect(withNotice("/account", "viewing-read-only"));
}

/** A view as someone holds no role, whatever the user's. */
function holdsRole(session: CurrentSession, role: Role): boolean {
  return session.user.role === role && !session.impersonation;
}

/**
 * For every server action that changes something as the user (refused while an administrator views as them). Pages
 * only read, so they use requireSession and render for the viewer too.
 */
export async function requireAccountOwner(callbackPath: string): Promise<CurrentSession> {
  const session = await requireSession(callbackPath);
  refuseWhileViewing(session);
  return session;
}

/** A role's pages and actions; a session viewing as someone holds no role (it can't reach /admin). */
export async function requireRole(role: Role, callbackPath: string): Promise<SessionUser> {
  const session = await requireSession(callbackPath);
  if (!holdsRole(session, role)) forbidden();
  return session.user;
}

export const CONFIRM_ACCESS_PATH = "/account/confirm";

export function confirmAccessUrl(returnTo: string): string {
  return `${CONFIRM_ACCESS_PATH}?returnTo=${encodeURIComponent(returnTo)}`;
}

/**
 * Sudo mode for pages and server actions: adding or removing a way to sign in or a long-lived credential needs an
 * authentication within AUTH_SUDO_WINDOW. Outside it, nothing is done: the browser goes to the confirm page, which
 * asks for the password and comes back to `returnTo` (the page the request came from). With `role`, that role too.
 */
export async function requireRecentAuthentication(returnTo: string, role?: Role): Promise<CurrentSession> {
  const session = await requireSession(returnTo);
  // Checked from the same session read (a route handler has no per-request cache), and before sudo: a user without
  // the role (a view as someone holds none) is refused, never sent to confirm a password for nothing.
  if (role && !holdsRole(session, role)) forbidden();
  refuseWhileViewing(session);
  const recent = await whileAvailable(() => isSessionRecentlyAuthenticated(session.sessionId));
  if (!recent) redirect(confirmAccessUrl(returnTo));
  return session;
}

/** Client address and user agent of the request a server action or page is serving, for limits and the audit log. */
export async function currentRequestContext(): Promise<RequestContext> {
  return requestContext(await headers());
}
