import { db } from "@/lib/db/client";
import type { RequestContext } from "@/lib/security/request-context";
import { assertCurrentPassword, assertReauthentication } from "./reauthentication";
import { markSessionAuthenticated } from "./sessions";
import { currentCodeFactor } from "./two-factor";

/** How a signed-in person can prove it is still them: the password, else a code, else only a fresh sign-in. */
export type ConfirmAccessMethod = "password" | "code" | "sign_in";

export async function confirmAccessMethod(userId: string): Promise<ConfirmAccessMethod> {
  const user = await db().user.findUnique({ where: { id: userId }, select: { passwordHash: true, totpEnabledAt: true } });
  if (user?.passwordHash) return "password";
  return user?.totpEnabledAt ? "code" : "sign_in";
}

/**
 * The confirm page: the password (or, for an account without one, a code) again, throttled and audited like every
 * re-check, then this browser session counts as freshly authenticated for the sudo window.
 */
export async function confirmAccess(
  userId: string,
  sessionId: string,
  proof: { password: string } | { code: string },
  context: RequestContext,
): Promise<void> {
  if ("password" in proof) {
    await assertCurrentPassword(userId, proof.password, context, "password", "confirm_access");
  } else {
    await assertReauthentication(userId, context, "confirm_access", [currentCodeFactor(userId, proof.code)]);
  }
  await markSessionAuthenticated(sessionId, userId);
}
