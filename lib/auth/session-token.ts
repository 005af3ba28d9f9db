import type { Role } from "@/lib/generated/prisma/enums";
import { validateSession } from "@/lib/services/sessions";

export type SessionTokenClaims = {
  sub?: string;
  sid?: string;
  username?: string;
  email?: string | null;
  role?: Role;
  /** Set when the database could not be asked: the session is neither trusted nor ended. */
  unverified?: boolean;
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
    current = await validateSession(token.sid, token.sub);
  } catch {
    return { ...token, unverified: true };
  }
  if (!current) return null;
  return { ...token, unverified: false, username: current.username, email: current.email, role: current.role };
}
