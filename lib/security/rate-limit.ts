import { UTC_NOW, UTC_NOW_SQL, database, db, type PreparedStatement } from "@/lib/db/client";
import type { RateLimitRule } from "@/lib/env";
import { forgetRefusal, rememberRefusal, rememberedRefusal } from "./refusal-memory";

export type RateLimitResult =
  | { allowed: true; claim: string }
  | { allowed: false; retryAfterSeconds: number };

const NANOS_PER_SECOND = 1_000_000_000n;

/**
 * Takes one slot of a sliding window in a single statement: ON CONFLICT locks the row, so concurrent requests
 * (on any instance) queue on it and none slips past the limit. Hits are database-clock nanoseconds with a random
 * tail, unique enough that a refund removes exactly the slot it took. A full window is remembered until its oldest
 * slot frees up (see refusal-memory.ts), so a flood against it is refused without a query.
 */
// $1 key, $2 window in seconds, $3 the same in nanoseconds, $4 the limit.
const TAKE_SLOT: PreparedStatement = {
  name: "latchkey_rate_limit_take",
  text: `
    WITH clock AS (
      SELECT (floor(extract(epoch FROM clock_timestamp()) * 1000000)::bigint * 1000
              + floor(random() * 1000)::bigint) AS stamp
    )
    INSERT INTO "RateLimit" AS r ("key", "hits", "expiresAt")
    SELECT $1::text, ARRAY[clock.stamp], ${UTC_NOW_SQL} + make_interval(secs => $2::int) FROM clock
    ON CONFLICT ("key") DO UPDATE SET
      "hits" = CASE
        WHEN cardinality(ARRAY(SELECT h FROM unnest(r."hits") h WHERE h > excluded."hits"[1] - $3::bigint)) < $4::int
        THEN ARRAY(SELECT h FROM unnest(r."hits") h WHERE h > excluded."hits"[1] - $3::bigint) || excluded."hits"[1]
        ELSE ARRAY(SELECT h FROM unnest(r."hits") h WHERE h > excluded."hits"[1] - $3::bigint)
      END,
      "expiresAt" = excluded."expiresAt"
    RETURNING r."hits"::text[] AS hits, (SELECT stamp FROM clock)::text AS stamp,
      (floor(extract(epoch FROM clock_timestamp()) * 1000000)::bigint * 1000)::text AS now`,
};

/**
 * Takes one slot of a sliding window in a single statement: ON CONFLICT locks the row, so concurrent requests
 * (on any instance) queue on it and none slips past the limit. Hits are database-clock nanoseconds with a random
 * tail, unique enough that a refund removes exactly the slot it took. A full window is remembered until its oldest
 * slot frees up (see refusal-memory.ts), so a flood against it is refused without a query.
 */
export async function consumeRateLimit(key: string, { limit, windowSeconds }: RateLimitRule): Promise<RateLimitResult> {
  const known = knownRateLimitRefusal(key);
  if (known !== null) return { allowed: false, retryAfterSeconds: known };
  const window = BigInt(windowSeconds) * NANOS_PER_SECOND;
  const [row] = await database().preparedQuery<{ hits: string[]; stamp: string; now: string }>(TAKE_SLOT, [key, windowSeconds, window.toString(), limit]);
  if (row.hits.includes(row.stamp)) return { allowed: true, claim: row.stamp };
  const oldest = row.hits.reduce((min, hit) => (BigInt(hit) < min ? BigInt(hit) : min), BigInt(row.now));
  const waitNanos = oldest + window - BigInt(row.now);
  rememberRefusal(key, Math.ceil(Number(waitNanos) / 1e6));
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(Number(waitNanos) / 1e9)) };
}

/** Retry-After when this instance already knows `key`'s window is full, else null: no query either way. */
export function knownRateLimitRefusal(key: string): number | null {
  const remainingMs = rememberedRefusal(key);
  return remainingMs === null ? null : Math.max(1, Math.ceil(remainingMs / 1000));
}

/** Gives a slot back, e.g. a login attempt counted as a failure in advance that turned out to succeed. */
export async function refundRateLimit(key: string, claim: string): Promise<void> {
  await db().$executeRaw`UPDATE "RateLimit" SET "hits" = array_remove("hits", ${claim}::bigint) WHERE "key" = ${key}`;
  forgetRefusal(key);
}

export async function deleteExpiredRateLimits(): Promise<number> {
  return db().$executeRaw`DELETE FROM "RateLimit" WHERE "expiresAt" < ${UTC_NOW}`;
}
