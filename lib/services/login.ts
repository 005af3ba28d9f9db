import { verifyAgainstDummy, verifyPassword } from "@/lib/crypto/password";
import { UTC_NOW_SQL, database, type PreparedStatement } from "@/lib/db/client";
import { newRowId } from "@/lib/db/row-id";
import type { SessionUser } from "@/lib/services/user-dto";
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
import { forgetRefusal } from "@/lib/security/refusal-memory";
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

/** What a password sign-in needs to know of the account an identifier names, in one indexed read. */
type SignInAccount = SessionUser & {
  passwordHash: string | null;
  locked: boolean;
  suspendedUntilMs: number | null;
  emailVerified: boolean;
  twoFactor: boolean;
};

const SIGN_IN_ACCOUNT_COLUMNS = `u."id", u."username", u."email", u."role"::text AS "role", u."passwordHash",
  u."lockedAt" IS NOT NULL AS "locked", (EXTRACT(EPOCH FROM u."suspendedUntil") * 1000)::float8 AS "suspendedUntilMs",
  u."emailVerified" IS NOT NULL AS "emailVerified", u."totpEnabledAt" IS NOT NULL AS "twoFactor"`;

const SIGN_IN_ACCOUNT_BY_EMAIL: PreparedStatement = {
  name: "latchkey_sign_in_account_by_email",
  text: `SELECT ${SIGN_IN_ACCOUNT_COLUMNS} FROM "User" u WHERE u."email" = $1`,
};
const SIGN_IN_ACCOUNT_BY_USERNAME: PreparedStatement = {
  name: "latchkey_sign_in_account_by_username",
  text: `SELECT ${SIGN_IN_ACCOUNT_COLUMNS} FROM "User" u WHERE u."username" = $1`,
};

async function signInAccount(normalized: string): Promise<SignInAccount | undefined> {
  const statement = normalized.includes("@") ? SIGN_IN_ACCOUNT_BY_EMAIL : SIGN_IN_ACCOUNT_BY_USERNAME;
  const [row] = await database().preparedQuery<SignInAccount>(statement, [normalized]);
  return row;
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

  const user = await signInAccount(normalized);
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

  if (!user || !passwordMatches || user.locked) {
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
  const sessionUser: SessionUser = { id: user.id, username: user.username, email: user.email, role: user.role };
  const suspendedUntil = activeSuspension(user.suspendedUntilMs === null ? null : new Date(user.suspendedUntilMs));
  const unverified = env().AUTH_REQUIRE_EMAIL_VERIFICATION && !user.emailVerified;
  if (!suspendedUntil && !unverified && !user.twoFactor) {
    await recordSuccessfulLogin(user.id, context, { via }, { key: ipKey, claim: attempt.addressClaim });
    return { ok: true, user: sessionUser, secondFactor: false };
  }
  await refundRateLimit(ipKey, attempt.addressClaim);
  if (suspendedUntil || unverified) {
    await Promise.all([
      clearLoginFailures(throttleKey),
      recordAudit({ type: "login.failure", targetId: user.id, context, detail: { via, reason: suspendedUntil ? "suspended" : "unverified" } }),
    ]);
    return suspendedUntil ? { ok: false, error: "account_suspended", until: suspendedUntil } : { ok: false, error: "email_not_verified" };
  }
  return { ok: true, user: sessionUser, secondFactor: true };
}

// $1 the user, $2 their throttle key, $3 and $4 the address slot to give back (null: none), $5 the audit event's
// id, $6 to $8 its address, user agent and detail.
const SIGN_IN_SUCCEEDED: PreparedStatement = {
  name: "latchkey_sign_in_succeeded",
  text: `
    WITH cleared AS (DELETE FROM "LoginThrottle" WHERE "key" = $2::text),
    refunded AS (UPDATE "RateLimit" SET "hits" = array_remove("hits", $4::bigint) WHERE "key" = $3::text),
    seen AS (UPDATE "User" SET "lastLoginAt" = ${UTC_NOW_SQL}, "updatedAt" = ${UTC_NOW_SQL} WHERE "id" = $1::text)
    INSERT INTO "AuditEvent" ("id", "type", "actorId", "targetId", "ip", "userAgent", "detail", "count", "createdAt", "lastAt")
    VALUES ($5, 'login.success', $1::text, $1::text, $6, $7, $8::jsonb, 1, ${UTC_NOW_SQL}, ${UTC_NOW_SQL})`,
};

/**
 * Once every factor has passed: clears the account's failures, gives the address its slot back (a right password
 * is no failure), notes the time and audits it (the row `recordAudit` would write), in one statement: a sign-in is
 * a bcrypt comparison and as few round trips around it as the rules allow.
 */
export async function recordSuccessfulLogin(
  userId: string,
  context: RequestContext,
  detail: AuditDetail,
  addressSlot?: { key: string; claim: string },
): Promise<void> {
  const throttleKey = userThrottleKey(userId);
  await database().preparedQuery(SIGN_IN_SUCCEEDED, [
    userId,
    throttleKey,
    addressSlot?.key ?? null,
    addressSlot?.claim ?? null,
    newRowId(),
    context?.ip ?? null,
    context?.userAgent ?? null,
    JSON.stringify(detail),
  ]);
  forgetRefusal(throttleKey);
  if (addressSlot) forgetRefusal(addressSlot.key);
}

