import { UTC_NOW, UTC_NOW_SQL, database, db, type PreparedStatement } from "@/lib/db/client";
import { env } from "@/lib/env";
import { forgetRefusal, rememberAlias, rememberRefusal, rememberedAlias, rememberedRefusal } from "./refusal-memory";

export type ThrottleResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export const userThrottleKey = (userId: string) => `user:${userId}`;
/** The account a throttle key belongs to (undefined for an identifier nobody has). */
export const userIdOfThrottleKey = (key: string): string | undefined => (key.startsWith("user:") ? key.slice("user:".length) : undefined);
export const identifierThrottleKey = (identifier: string) => `identifier:${identifier}`;

/**
 * The block that `failures` counted failures earn: none below the threshold ($3), then a delay doubling from the
 * base ($4) up to the cap ($5), and from the lockout count ($2) on a block no time ends.
 */
const blockFor = (failures: string) => `CASE
      WHEN ${failures} >= $2::int THEN 'infinity'::timestamp
      WHEN ${failures} >= $3::int THEN ${UTC_NOW_SQL} + make_interval(secs => least($4::float8 * power(2, ${failures} - $3::int), $5::float8))
    END`;

// While blocked, the WHERE leaves the row untouched and RETURNING yields nothing: that is the refusal.
const CLAIM_ATTEMPT: PreparedStatement = {
  name: "latchkey_login_claim",
  text: `
    INSERT INTO "LoginThrottle" AS t ("key", "failures", "blockedUntil", "updatedAt")
    VALUES ($1::text, 1, ${blockFor("1")}, ${UTC_NOW_SQL})
    ON CONFLICT ("key") DO UPDATE SET
      "failures" = t."failures" + 1,
      "blockedUntil" = ${blockFor(`(t."failures" + 1)`)},
      "updatedAt" = ${UTC_NOW_SQL}
    WHERE t."blockedUntil" IS NULL OR t."blockedUntil" <= ${UTC_NOW_SQL}
    RETURNING t."failures"`,
};

const BLOCK_REMAINING: PreparedStatement = {
  name: "latchkey_login_block_remaining",
  text: `
    SELECT CASE WHEN "blockedUntil" = 'infinity' THEN NULL
      ELSE ceil(extract(epoch FROM "blockedUntil" - ${UTC_NOW_SQL}) * 1000)::float8 END AS "remainingMs"
    FROM "LoginThrottle" WHERE "key" = $1`,
};

/**
 * Claims one login attempt for an account, counted as a failure in advance so that concurrent attempts can't
 * all squeeze in before the count catches up (a success clears it). From the threshold on, each counted attempt
 * blocks the next one for an exponentially growing delay up to the cap; at the lockout count the block stays
 * until an admin or a password reset clears it (NIST SP 800-63B: at most 100 consecutive failures).
 * A block the database reported is remembered (see refusal-memory.ts), so that a flood of attempts on a blocked key
 * is refused without a query.
 */
export async function claimLoginAttempt(key: string): Promise<ThrottleResult> {
  const settings = env();
  const known = knownLoginRefusal(key);
  if (known !== null) return { allowed: false, retryAfterSeconds: known };
  const claimed = await database().preparedQuery<{ failures: number }>(CLAIM_ATTEMPT, [
    key,
    settings.LOGIN_LOCKOUT_AFTER_FAILURES,
    settings.LOGIN_BACKOFF_AFTER_FAILURES,
    settings.LOGIN_BACKOFF_BASE,
    settings.LOGIN_BACKOFF_MAX,
  ]);
  if (claimed.length) return { allowed: true };
  const [row] = await database().preparedQuery<{ remainingMs: number | null }>(BLOCK_REMAINING, [key]);
  // No row: cleared since the claim was refused, so there is nothing to remember.
  if (row) rememberRefusal(key, row.remainingMs);
  return { allowed: false, retryAfterSeconds: loginRetryAfterSeconds(row ? (row.remainingMs ?? Infinity) : Infinity) };
}

/** Retry-After when this instance already knows `key` is blocked, else null: no query either way. */
export function knownLoginRefusal(key: string): number | null {
  const remainingMs = rememberedRefusal(key);
  return remainingMs === null ? null : loginRetryAfterSeconds(remainingMs);
}

/**
 * A sign-in identifier (normalised) refused under `key`: the next attempt naming it is refused before the account
 * is even looked up, for as long as the refusal of `key` is remembered (at most REFUSAL_MEMORY_MAX_MS before the
 * database is asked again). The alias dies with that remembering (see `rememberAlias`): an identifier that changes
 * hands is refused for its new owner at most until the old owner's block ends or the minute is up, whichever is first.
 */
export function rememberRefusedIdentifier(identifier: string, key: string): void {
  rememberAlias(`login-identifier:${identifier}`, key);
}

/** The throttle key and Retry-After of an identifier this instance knows to be refused, or null: no query either way. */
export function knownIdentifierRefusal(identifier: string): { key: string; retryAfterSeconds: number } | null {
  const known = rememberedAlias(`login-identifier:${identifier}`);
  return known && { key: known.key, retryAfterSeconds: loginRetryAfterSeconds(known.remainingMs) };
}

/** Retry-After for a block with `remainingMs` to go: a lockout (Infinity) says the longest back-off. */
function loginRetryAfterSeconds(remainingMs: number): number {
  const cap = env().LOGIN_BACKOFF_MAX;
  return Math.max(1, Math.min(Math.ceil(remainingMs / 1000), cap));
}

/** A successful login, a password reset or an admin ends the back-off. */
export async function clearLoginFailures(key: string): Promise<void> {
  await db().$executeRaw`DELETE FROM "LoginThrottle" WHERE "key" = ${key}`;
  forgetRefusal(key);
}

/** Rows of identifiers that match no account are kept a month after their last attempt, then forgotten. */
export const UNKNOWN_IDENTIFIER_RETENTION_DAYS = 30;

export async function deleteStaleLoginThrottles(): Promise<number> {
  return db().$executeRaw`
    DELETE FROM "LoginThrottle"
    WHERE "key" LIKE 'identifier:%'
      AND "updatedAt" < ${UTC_NOW} - make_interval(days => ${UNKNOWN_IDENTIFIER_RETENTION_DAYS}::int)
      AND ("blockedUntil" IS NULL OR "blockedUntil" < ${UTC_NOW})`;
}
