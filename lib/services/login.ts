import { verifyAgainstDummy, verifyPassword } from "@/lib/crypto/password";
import { db } from "@/lib/db/client";
import { sessionUserSelect, type SessionUser } from "@/lib/services/user-dto";
import { env } from "@/lib/env";
import {
  claimLoginAttempt,
  clearLoginFailures,
  identifierThrottleKey,
  knownIdentifierRefusal,
  knownLoginRefusal,
  rememberRefusedIdentifier,
  userIdOfThrottleKey,
  userThrottleKey,
} from "@/lib/security/login-throttle";
import { consumeRateLimit, knownRateLimitRefusal, refundRateLimit } from "@/lib/security/rate-limit";
import type { RequestContext } from "@/lib/security/request-context";
import { emailField } from "@/lib/validations/fields";
import { activeSuspension } from "./suspension";
import { recordAudit, recordFailureAudit, recordRefusalAudit, type AuditDetail } from "./audit";

export type LoginOutcome =
  /** `secondFactor`: the password was right, and the account also needs a code before any session exists. */
  | { ok: true; user: SessionUser; secondFactor: boolean }
  | { ok: false; error: "invalid_credentials" }
  /** Only after a correct password, so it reveals nothing to someone who doesn't know it. */
  | { ok: false; error: "email_not_verified" }
  /** Likewise only after a correct password: an admin suspended the account until `until`. */
  | { ok: false; error: "account_suspended"; until: Date }
  | { ok: false; error: "rate_limited"; retryAfterSeconds: number };

export const loginFailuresByIpKey = (clientKey: string) => `login-failures:ip:${clientKey}`;

export function normalizeIdentifier(identifier: string): string {
  return identifier.trim().normalize("NFKC").toLowerCase();
}

function identifierWhere(normalized: string) {
  return normalized.includes("@") ? { email: normalized } : { username: normalized };
}

/** An attempted identifier is kept in the audit log only when it is an email: a username field sometimes holds a
 * password typed in the wrong box. */
function loggableIdentifier(normalized: string): Pick<AuditDetail, "identifier"> {
  return emailField.safeParse(normalized).success ? { identifier: normalized } : {};
}

export type PasswordAttempt =
  | { allowed: true; addressClaim: string }
  | { allowed: false; refusedBy: "address" | "account"; retryAfterSeconds: number };

/**
 * Claims one password (or code) check for a client address and an account, in that order, each counted as a
 * failure in advance. A refusal this instance already knows about (refusal-memory.ts) answers before anything is
 * written, and one the database makes hands the address its slot back: a refused attempt checks nothing, so it
 * never counts against the address, whichever instance answers. `gate` runs once the account is not known to be
 * blocked, before anything is claimed (the token endpoint's own per-address budget).
 */
export async function claimPasswordAttempt(addressKey: string, throttleKey: string, gate?: () => Promise<void>): Promise<PasswordAttempt> {
  const knownAccount = knownLoginRefusal(throttleKey);
  if (knownAccount !== null) return { allowed: false, refusedBy: "account", retryAfterSeconds: knownAccount };
  await gate?.();
  const addressSlot = await consumeRateLimit(addressKey, env().RATE_LIMIT_LOGIN_FAILURES_PER_IP);
  if (!addressSlot.allowed) return { allowed: false, refusedBy: "address", retryAfterSeconds: addressSlot.retryAfterSeconds };
  const attempt = await claimLoginAttempt(throttleKey);
  if (!attempt.allowed) {
    await refundRateLimit(addressKey, addressSlot.claim);
    return { allowed: false, refusedBy: "account", retryAfterSeconds: attempt.retryAfterSeconds };
  }
  return { allowed: true, addressClaim: addressSlot.claim };
}

/**
 * Every password sign-in (form, Auth.js callback, token endpoint). Unknown account, wrong password and locked
 * account take the same path to the same answer: a lookup, a throttle claim, one bcrypt comparison (against a
 * dummy hash of the same cost when there is no account) and an audit event. Attempts are counted as failures
 * before the comparison, per client address and per account, so racing requests can't exceed either limit. An
 * address, or an identifier whose account, this instance already knows to be refused is answered without a query
 * (another spelling of a refused account's name costs the lookup once); repeated refusals and failures are merged
 * into one audit event each.
 */
export async function attemptLogin(
  identifier: string,
  password: string,
  context: RequestContext,
  via: "form" | "api",
  gate?: () => Promise<void>,
): Promise<LoginOutcome> {
  const normalized = normalizeIdentifier(identifier);
  const ipKey = loginFailuresByIpKey(context.clientKey);
  const refusedAddress = async (retryAfterSeconds: number): Promise<LoginOutcome> => {
    await recordRefusalAudit({ type: "login.rate_limited", context, detail: { via, retryAfterSeconds } }, ipKey);
    return { ok: false, error: "rate_limited", retryAfterSeconds };
  };
  const knownAddress = knownRateLimitRefusal(ipKey);
  if (knownAddress !== null) return refusedAddress(knownAddress);
  const refusedAccount = async (throttleKey: string, userId: string | undefined, retryAfterSeconds: number): Promise<LoginOutcome> => {
    await recordRefusalAudit(
      { type: "login.throttled", targetId: userId, context, detail: { via, retryAfterSeconds, ...(!userId && loggableIdentifier(normalized)) } },
      throttleKey,
    );
    return { ok: false, error: "rate_limited", retryAfterSeconds };
  };
  // An identifier whose account this instance knows to be in back-off is refused without looking the account up:
  // under a flood against one account that lookup was the only query left, and on the embedded database every
  // query waits in one line with everyone else's.
  const knownIdentifier = knownIdentifierRefusal(normalized);
  if (knownIdentifier) {
    return refusedAccount(knownIdentifier.key, userIdOfThrottleKey(knownIdentifier.key), knownIdentifier.retryAfterSeconds);
  }

  const user = await db().user.findUnique({
    where: identifierWhere(normalized),
    select: { ...sessionUserSelect, passwordHash: true, lockedAt: true, suspendedUntil: true, emailVerified: true, totpEnabledAt: true },
  });
  const throttleKey = user ? userThrottleKey(user.id) : identifierThrottleKey(normalized);
  const attempt = await claimPasswordAttempt(ipKey, throttleKey, gate);
  if (!attempt.allowed) {
    if (attempt.refusedBy === "address") return refusedAddress(attempt.retryAfterSeconds);
    rememberRefusedIdentifier(normalized, throttleKey);
    return refusedAccount(throttleKey, user?.id, attempt.retryAfterSeconds);
  }

  const passwordMatches = user?.passwordHash
    ? await verifyPassword(password, user.passwordHash)
    : await verifyAgainstDummy(password).then(() => false);

  if (!user || !passwordMatches || user.lockedAt) {
    const reason: AuditDetail["reason"] = !user
      ? "unknown_account"
      : !user.passwordHash
        ? "no_password"
        : !passwordMatches
          ? "wrong_password"
          : "locked";
    await recordFailureAudit({
      type: "login.failure",
      targetId: user?.id,
      context,
      detail: { via, reason, ...(!user && loggableIdentifier(normalized)) },
    });
    return { ok: false, error: "invalid_credentials" };
  }

  // A right password is not a failure for the address. With two factors it still counts for the account until the
  // code is right too: otherwise each correct password would buy a fresh set of free guesses at the code.
  await refundRateLimit(ipKey, attempt.addressClaim);
  const suspendedUntil = activeSuspension(user.suspendedUntil);
  if (suspendedUntil) {
    await Promise.all([
      clearLoginFailures(throttleKey),
      recordAudit({ type: "login.failure", targetId: user.id, context, detail: { via, reason: "suspended" } }),
    ]);
    return { ok: false, error: "account_suspended", until: suspendedUntil };
  }
  if (env().AUTH_REQUIRE_EMAIL_VERIFICATION && !user.emailVerified) {
    await Promise.all([
      clearLoginFailures(throttleKey),
      recordAudit({ type: "login.failure", targetId: user.id, context, detail: { via, reason: "unverified" } }),
    ]);
    return { ok: false, error: "email_not_verified" };
  }
  const { passwordHash: _hash, lockedAt: _locked, suspendedUntil: _suspended, emailVerified: _verified, totpEnabledAt, ...sessionUser } = user;
  if (totpEnabledAt) return { ok: true, user: sessionUser, secondFactor: true };
  await recordSuccessfulLogin(user.id, context, { via });
  return { ok: true, user: sessionUser, secondFactor: false };
}

/** Clears the account's failures, notes the time and audits it: once every factor has passed. */
export async function recordSuccessfulLogin(userId: string, context: RequestContext, detail: AuditDetail): Promise<void> {
  await Promise.all([
    clearLoginFailures(userThrottleKey(userId)),
    db().user.update({ where: { id: userId }, data: { lastLoginAt: new Date() }, select: { id: true } }),
    recordAudit({ type: "login.success", actorId: userId, targetId: userId, context, detail }),
  ]);
}
