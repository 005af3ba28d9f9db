import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/errors";
import type { RequestContext } from "@/lib/security/request-context";
import { assertReauthentication, currentPasswordFactor } from "./reauthentication";
import { markSessionAuthenticated } from "./sessions";
import { currentCodeFactor } from "./two-factor";

/**
 * How a signed-in person proves it is still them: what signing in asks of them (the password and, with 2FA, a code
 * too), else a code, else only a fresh sign-in. Never less than a sign-in: a thief holding a cookie and a reused
 * password must not get sudo mode on an account whose owner turned on a second factor.
 */
export type ConfirmAccessMethod = "password" | "password_and_code" | "code" | "sign_in";

export async function confirmAccessMethod(userId: string): Promise<ConfirmAccessMethod> {
  const user = await db().user.findUnique({ where: { id: userId }, select: { passwordHash: true, totpEnabledAt: true } });
  if (user?.passwordHash) return user.totpEnabledAt ? "password_and_code" : "password";
  return user?.totpEnabledAt ? "code" : "sign_in";
}

/**
 * The confirm page: what `confirmAccessMethod` asks, checked against the account as it is now, throttled and audited like every
 * re-check, then this browser session counts as freshly authenticated for the sudo window.
 */
export async function confirmAccess(
  userId: string,
  sessionId: string,
  proof: { password?: string; code?: string },
  context: RequestContext,
): Promise<void> {
  const method = await confirmAccessMethod(userId);
  const factors = [
    ...(method === "password" || method === "password_and_code" ? [currentPasswordFactor(userId, proof.password ?? "", "password")] : []),
    ...(method === "code" || method === "password_and_code" ? [currentCodeFactor(userId, proof.code ?? "")] : []),
  ];
  if (!factors.length) throw ApiError.of("reauthentication_unavailable");
  await assertReauthentication(userId, context, "confirm_access", factors);
  await markSessionAuthenticated(sessionId, userId);
}
