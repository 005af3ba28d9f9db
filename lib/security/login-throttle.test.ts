import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import { schemaOnlyDatabaseForFile } from "../../tests/support/database";
import { forgetRefusal } from "./refusal-memory";
import {
  UNKNOWN_IDENTIFIER_RETENTION_DAYS,
  claimLoginAttempt,
  clearLoginFailures,
  deleteStaleLoginThrottles,
  identifierThrottleKey,
  userThrottleKey,
} from "./login-throttle";

// On an in-memory PGlite: the back-off is one SQL statement, and only the database can say whether it holds.
schemaOnlyDatabaseForFile();

function settings(values: Record<string, string>) {
  for (const [name, value] of Object.entries(values)) vi.stubEnv(name, value);
  resetEnvCache();
}
afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});

let counter = 0;
const freshKey = () => userThrottleKey(`throttle-${(counter += 1)}`);
const row = (key: string) => db().loginThrottle.findUniqueOrThrow({ where: { key } });
/** The block ends now: the next attempt is allowed again (and counted). */
/** Ends a block as time would: in the database, and in this instance's memory of the refusal it answered. */
const unblock = async (key: string) => {
  await db().loginThrottle.update({ where: { key }, data: { blockedUntil: new Date(Date.now() - 1000) } });
  forgetRefusal(key);
};

describe("claimLoginAttempt", () => {
  it("counts every attempt; from the threshold on, each blocks the next for base × 2^(n − threshold), capped", async () => {
    settings({ LOGIN_BACKOFF_AFTER_FAILURES: "3", LOGIN_BACKOFF_BASE: "10s", LOGIN_BACKOFF_MAX: "35s", LOGIN_LOCKOUT_AFTER_FAILURES: "50" });
    const key = freshKey();
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      expect(await claimLoginAttempt(key)).toEqual({ allowed: true });
      expect(await row(key)).toMatchObject({ failures: attempt, blockedUntil: null });
    }
    const expectedBlocks = [10, 20, 35, 35];
    for (const [index, seconds] of expectedBlocks.entries()) {
      expect(await claimLoginAttempt(key)).toEqual({ allowed: true });
      const { failures, blockedUntil } = await row(key);
      expect(failures).toBe(3 + index);
      expect((blockedUntil!.getTime() - Date.now()) / 1000).toBeGreaterThan(seconds - 3);
      expect((blockedUntil!.getTime() - Date.now()) / 1000).toBeLessThanOrEqual(seconds + 1);
      const refused = await claimLoginAttempt(key);
      expect(refused.allowed).toBe(false);
      expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(seconds - 3);
      expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeLessThanOrEqual(seconds);
      // The refusal changed nothing.
      expect((await row(key)).failures).toBe(3 + index);
      await unblock(key);
    }
  });

  it("at the lockout count blocks for good, answering the cap as the time to wait", async () => {
    settings({ LOGIN_BACKOFF_AFTER_FAILURES: "2", LOGIN_BACKOFF_BASE: "10s", LOGIN_BACKOFF_MAX: "1m", LOGIN_LOCKOUT_AFTER_FAILURES: "3" });
    const key = freshKey();
    expect(await claimLoginAttempt(key)).toEqual({ allowed: true });
    expect(await claimLoginAttempt(key)).toEqual({ allowed: true });
    await unblock(key);
    expect(await claimLoginAttempt(key)).toEqual({ allowed: true });
    const [{ infinite }] = await db().$queryRaw<{ infinite: boolean }[]>`SELECT "blockedUntil" = 'infinity' AS infinite FROM "LoginThrottle" WHERE "key" = ${key}`;
    expect(infinite).toBe(true);
    expect(await claimLoginAttempt(key)).toEqual({ allowed: false, retryAfterSeconds: 60 });
    await clearLoginFailures(key);
    expect(await db().loginThrottle.findUnique({ where: { key } })).toBeNull();
    expect(await claimLoginAttempt(key)).toEqual({ allowed: true });
  });

  it("locks at the very first attempt when the lockout count is 1, and backs off from the first when the threshold is 1", async () => {
    settings({ LOGIN_BACKOFF_AFTER_FAILURES: "1", LOGIN_BACKOFF_BASE: "10s", LOGIN_BACKOFF_MAX: "1m", LOGIN_LOCKOUT_AFTER_FAILURES: "5" });
    const backoff = freshKey();
    expect(await claimLoginAttempt(backoff)).toEqual({ allowed: true });
    const { blockedUntil } = await row(backoff);
    expect((blockedUntil!.getTime() - Date.now()) / 1000).toBeGreaterThan(7);
    settings({ LOGIN_BACKOFF_AFTER_FAILURES: "1", LOGIN_BACKOFF_BASE: "10s", LOGIN_BACKOFF_MAX: "1m", LOGIN_LOCKOUT_AFTER_FAILURES: "1" });
    const locked = freshKey();
    expect(await claimLoginAttempt(locked)).toEqual({ allowed: true });
    expect(await claimLoginAttempt(locked)).toEqual({ allowed: false, retryAfterSeconds: 60 });
  });

  it("refuses a blocked key again without asking the database, with the wait the database gave", async () => {
    settings({ LOGIN_BACKOFF_AFTER_FAILURES: "1", LOGIN_BACKOFF_BASE: "30s", LOGIN_BACKOFF_MAX: "1m", LOGIN_LOCKOUT_AFTER_FAILURES: "50" });
    const key = freshKey();
    expect(await claimLoginAttempt(key)).toEqual({ allowed: true });
    const refused = await claimLoginAttempt(key);
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: expect.any(Number) });
    expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(27);
    // Cleared in the database (a reset on another instance): this instance still trusts what it was told.
    await db().loginThrottle.delete({ where: { key } });
    const again = await claimLoginAttempt(key);
    expect(again.allowed).toBe(false);
    // The same wait, give or take the second that may have passed.
    const wait = (refused as { retryAfterSeconds: number }).retryAfterSeconds;
    expect(wait - (again as { retryAfterSeconds: number }).retryAfterSeconds).toBeOneOf([0, 1]);
    expect(await db().loginThrottle.findUnique({ where: { key } })).toBeNull();
    forgetRefusal(key);
    expect(await claimLoginAttempt(key)).toEqual({ allowed: true });
  });

  it("answers a wait of at least one second", async () => {
    settings({ LOGIN_BACKOFF_AFTER_FAILURES: "5", LOGIN_BACKOFF_MAX: "15m" });
    const key = freshKey();
    await db().loginThrottle.create({ data: { key, failures: 5, blockedUntil: new Date(Date.now() + 200), updatedAt: new Date() } });
    expect(await claimLoginAttempt(key)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });
});

describe("deleteStaleLoginThrottles", () => {
  it("forgets unknown identifiers untouched for the retention period unless still blocked; account rows stay", async () => {
    const old = new Date(Date.now() - (UNKNOWN_IDENTIFIER_RETENTION_DAYS * 24 * 3600 + 60) * 1000);
    const recent = new Date(Date.now() - (UNKNOWN_IDENTIFIER_RETENTION_DAYS * 24 * 3600 - 3600) * 1000);
    await db().loginThrottle.createMany({
      data: [
        { key: identifierThrottleKey("stale"), failures: 3, blockedUntil: null, updatedAt: old },
        { key: identifierThrottleKey("stale-unblocked"), failures: 9, blockedUntil: new Date(Date.now() - 1000), updatedAt: old },
        { key: identifierThrottleKey("recent"), failures: 3, blockedUntil: null, updatedAt: recent },
        { key: identifierThrottleKey("still-blocked"), failures: 9, blockedUntil: new Date(Date.now() + 600_000), updatedAt: old },
        { key: userThrottleKey("old-account"), failures: 3, blockedUntil: null, updatedAt: old },
      ],
    });
    expect(UNKNOWN_IDENTIFIER_RETENTION_DAYS).toBe(30);
    expect(await deleteStaleLoginThrottles()).toBe(2);
    const left = (await db().loginThrottle.findMany({ where: { updatedAt: { lte: recent } }, select: { key: true }, orderBy: { key: "asc" } })).map((found) => found.key);
    expect(left).toEqual([identifierThrottleKey("recent"), identifierThrottleKey("still-blocked"), userThrottleKey("old-account")]);
  });

  it("names keys by kind so the sweeper can tell them apart", () => {
    expect(userThrottleKey("abc")).toBe("user:abc");
    expect(identifierThrottleKey("abc")).toBe("identifier:abc");
  });
});
