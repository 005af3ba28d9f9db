import type { Role } from "@/lib/generated/prisma/enums";
import { getSessionUser } from "@/lib/services/accounts";

export type SessionTokenClaims = {
  sub?: string;
  sv?: number;
  username?: string;
  email?: string | null;
  role?: Role;
  /** Set when the database could not be asked: the session is neither trusted nor ended. */
  unverified?: boolean;
};

/**
 * The revocation check behind every browser request: a bumped session version, a deleted user or a changed role
 * shows here. Null ends the session. If the database can't be reached we can't tell, so the claims come back
 * marked unverified and the caller answers "temporarily unavailable" instead of signing the person out.
 */
export async function refreshSessionClaims<T extends SessionTokenClaims>(token: T): Promise<T | null> {
  if (!token.sub || typeof token.sv !== "number") return null;
  let current;
  try {
    current = await getSessionUser(token.sub, token.sv);
  } catch {
    return { ...token, unverified: true };
  }
  if (!current) return null;
  return { ...token, unverified: false, username: current.username, email: current.email, role: current.role };
}
