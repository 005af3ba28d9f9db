import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { schemaOnlyDatabaseForFile } from "../../tests/support/database";
import { consumeRateLimit, deleteExpiredRateLimits, refundRateLimit } from "./rate-limit";

// On an in-memory PGlite: the limit is one SQL statement, and only the database can say whether it holds.
schemaOnlyDatabaseForFile();

const RULE = { limit: 3, windowSeconds: 600 };
const NANOS = 1_000_000_000n;
let counter = 0;
const freshKey = () => `test:${(counter += 1)}`;
const nowNanos = () => BigInt(Date.now()) * 1_000_000n;

describe("consumeRateLimit", () => {
  it("allows `limit` slots in the window, then refuses with the time until the oldest slot leaves it", async () => {
    const key = freshKey();
    const results = [];
    for (let i = 0; i < 4; i += 1) results.push(await consumeRateLimit(key, RULE));
    expect(results.slice(0, 3).map((result) => result.allowed)).toEqual([true, true, true]);
    expect(results[3]).toEqual({ allowed: false, retryAfterSeconds: expect.any(Number) });
    const wait = (results[3] as { retryAfterSeconds: number }).retryAfterSeconds;
    expect(wait).toBeGreaterThan(RULE.windowSeconds - 5);
    expect(wait).toBeLessThanOrEqual(RULE.windowSeconds);
    // A refused attempt takes no slot.
    expect((await db().rateLimit.findUniqueOrThrow({ where: { key } })).hits).toHaveLength(3);
    // Another key has its own window.
    expect((await consumeRateLimit(freshKey(), RULE)).allowed).toBe(true);
  });

  it("gives each allowed attempt a claim that names its own slot", async () => {
    const key = freshKey();
    const first = await consumeRateLimit(key, RULE);
    const second = await consumeRateLimit(key, RULE);
    if (!first.allowed || !second.allowed) throw new Error("expected both allowed");
    expect(first.claim).not.toBe(second.claim);
    const { hits } = await db().rateLimit.findUniqueOrThrow({ where: { key } });
    expect(hits.map(String)).toEqual([first.claim, second.claim]);
  });

  it("forgets slots older than the window, and says when the oldest one in it leaves", async () => {
    const key = freshKey();
    const now = nowNanos();
    // One slot just outside the window, two inside: 100 s and 200 s old.
    await db().rateLimit.create({
      data: { key, hits: [now - 601n * NANOS, now - 200n * NANOS, now - 100n * NANOS], expiresAt: new Date(Date.now() + 600_000) },
    });
    expect((await consumeRateLimit(key, RULE)).allowed).toBe(true);
    const { hits } = await db().rateLimit.findUniqueOrThrow({ where: { key } });
    expect(hits).toHaveLength(3);
    const refused = await consumeRateLimit(key, RULE);
    expect(refused.allowed).toBe(false);
    // The oldest slot in the window is 200 s old: it leaves in about 400 s.
    const wait = (refused as { retryAfterSeconds: number }).retryAfterSeconds;
    expect(wait).toBeGreaterThanOrEqual(395);
    expect(wait).toBeLessThanOrEqual(401);
  });

  it("answers at least one second, even when the oldest slot is about to leave", async () => {
    const key = freshKey();
    const now = nowNanos();
    await db().rateLimit.create({
      data: { key, hits: [now - 599_700n * 1_000_000n, now, now], expiresAt: new Date(Date.now() + 600_000) },
    });
    const refused = await consumeRateLimit(key, RULE);
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it("a refusal remembered without a query ends when the database said its slot would leave (found by mutation testing)", async () => {
    const key = freshKey();
    const now = nowNanos();
    // The oldest slot leaves the window in half a second.
    await db().rateLimit.create({
      data: { key, hits: [now - 599_500n * 1_000_000n, now, now], expiresAt: new Date(Date.now() + 600_000) },
    });
    expect((await consumeRateLimit(key, RULE)).allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await consumeRateLimit(key, RULE)).allowed).toBe(true);
  });

  it("refuses a full window again without asking the database, with the time the database gave", async () => {
    const key = freshKey();
    for (let i = 0; i < 3; i += 1) await consumeRateLimit(key, RULE);
    const refused = await consumeRateLimit(key, RULE);
    expect(refused.allowed).toBe(false);
    // Cleared in the database (another instance refunded every slot): this instance still trusts what it was told.
    await db().rateLimit.delete({ where: { key } });
    const again = await consumeRateLimit(key, RULE);
    expect(again.allowed).toBe(false);
    // The same wait, give or take the second that may have passed.
    const wait = (refused as { retryAfterSeconds: number }).retryAfterSeconds;
    expect(wait - (again as { retryAfterSeconds: number }).retryAfterSeconds).toBeOneOf([0, 1]);
    expect(await db().rateLimit.findUnique({ where: { key } })).toBeNull();
  });

  it("sets the row to expire one window after the last attempt", async () => {
    const key = freshKey();
    await consumeRateLimit(key, RULE);
    const { expiresAt } = await db().rateLimit.findUniqueOrThrow({ where: { key } });
    expect(Math.abs(expiresAt.getTime() - (Date.now() + RULE.windowSeconds * 1000))).toBeLessThan(5_000);
  });
});

describe("refundRateLimit and the sweeper", () => {
  it("a refund gives back exactly the slot it names", async () => {
    const key = freshKey();
    const claims = [];
    for (let i = 0; i < 3; i += 1) {
      const result = await consumeRateLimit(key, RULE);
      if (result.allowed) claims.push(result.claim);
    }
    expect((await consumeRateLimit(key, RULE)).allowed).toBe(false);
    await refundRateLimit(key, claims[1]);
    expect((await db().rateLimit.findUniqueOrThrow({ where: { key } })).hits.map(String)).toEqual([claims[0], claims[2]]);
    expect((await consumeRateLimit(key, RULE)).allowed).toBe(true);
  });

  it("deletes expired windows only, and says how many", async () => {
    await db().rateLimit.createMany({
      data: [
        { key: "sweep:old-1", hits: [1n], expiresAt: new Date(Date.now() - 1000) },
        { key: "sweep:old-2", hits: [1n], expiresAt: new Date(Date.now() - 1000) },
        { key: "sweep:live", hits: [1n], expiresAt: new Date(Date.now() + 60_000) },
      ],
    });
    expect(await deleteExpiredRateLimits()).toBe(2);
    expect((await db().rateLimit.findMany({ where: { key: { startsWith: "sweep:" } } })).map((row) => row.key)).toEqual(["sweep:live"]);
  });
});
