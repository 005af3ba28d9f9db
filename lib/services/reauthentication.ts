import { verifyAgainstDummy, verifyPassword } from "@/lib/crypto/password";
import { db } from "@/lib/db/client";
import { ApiError, WRONG_CURRENT_PASSWORD_MESSAGE } from "@/lib/errors";
import { clearLoginFailures, userThrottleKey } from "@/lib/security/login-throttle";
import { refundRateLimit } from "@/lib/security/rate-limit";
import type { RequestContext } from "@/lib/security/request-context";
import { recordAudit, recordFailureAudit, recordRefusalAudit, type AuditDetail, type ReauthenticationPurpose } from "./audit";
import { claimPasswordAttempt, loginFailuresByIpKey } from "./login";

export type { ReauthenticationPurpose };

/** One thing asked again: the form field it came from, what to say when it is wrong, and how to check it. */
export type ReauthenticationFactor = {
  field: string;
  message: string;
  reason: NonNullable<AuditDetail["reason"]>;
  check: () => Promise<boolean>;
};

export function currentPasswordFactor(userId: string, password: string, field: string): ReauthenticationFactor {
  return {
    field,
    message: WRONG_CURRENT_PASSWORD_MESSAGE,
    reason: "wrong_password",
    async check() {
      const user = await db().user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
      // The same bcrypt work either way, so an account without a password answers in the same time.
      if (!user?.passwordHash) return verifyAgainstDummy(password).then(() => false);
      return verifyPassword(password, user.passwordHash);
    },
  };
}

/**
 * Every "enter your password again" inside a session, throttled exactly like a sign-in: a stolen cookie or token
 * must not buy unlimited guesses at bcrypt speed. The client address spends one of its failed-login budget and the
 * account one attempt of its back-off before anything is checked (`claimPasswordAttempt`: a refusal already known
 * costs no write); all factors right refunds the first and clears the second. The factors are checked under that one claim, so a right password can't reset the count between
 * guesses at a code. A wrong one is 401 `invalid_credentials` with the message on the form's own field.
 */
export async function assertReauthentication(
  userId: string,
  context: RequestContext,
  purpose: ReauthenticationPurpose,
  factors: ReauthenticationFactor[],
): Promise<void> {
  const ipKey = loginFailuresByIpKey(context.clientKey);
  const throttleKey = userThrottleKey(userId);
  const attempt = await claimPasswordAttempt(ipKey, throttleKey);
  if (!attempt.allowed) {
    const { retryAfterSeconds } = attempt;
    const [type, key] = attempt.refusedBy === "address" ? (["reauth.rate_limited", ipKey] as const) : (["reauth.throttled", throttleKey] as const);
    await recordRefusalAudit({ type, actorId: userId, targetId: userId, context, detail: { purpose, retryAfterSeconds } }, key);
    throw ApiError.rateLimited(retryAfterSeconds);
  }
  for (const factor of factors) {
    if (!(await factor.check())) {
      await recordFailureAudit({ type: "reauth.failure", actorId: userId, targetId: userId, context, detail: { purpose, reason: factor.reason } });
      throw ApiError.of("invalid_credentials", { message: factor.message, fields: { [factor.field]: [factor.message] } });
    }
  }
  await Promise.all([
    refundRateLimit(ipKey, attempt.addressClaim),
    clearLoginFailures(throttleKey),
    recordAudit({ type: "reauth.success", actorId: userId, targetId: userId, context, detail: { purpose } }),
  ]);
}

/** The password again, on the form field `field`: see `assertReauthentication`. */
export async function assertCurrentPassword(
  userId: string,
  password: string,
  context: RequestContext,
  field: string,
  purpose: ReauthenticationPurpose,
): Promise<void> {
  await assertReauthentication(userId, context, purpose, [currentPasswordFactor(userId, password, field)]);
}
