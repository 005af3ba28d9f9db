import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { POST as forgot } from "@/app/api/v1/auth/password/forgot/route";
import { POST as token } from "@/app/api/v1/auth/token/route";
import { setCurrentDatabase } from "@/lib/db/client";
import { env } from "@/lib/env";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { clearLoginFailures, identifierThrottleKey, userThrottleKey } from "@/lib/security/login-throttle";
import { REFUSAL_MEMORY_MAX_MS } from "@/lib/security/refusal-memory";
import { listAuditEvents } from "@/lib/services/audit";
import { freshDatabase, type TestDatabase } from "../support/database";
import { PASSWORD, createUsersDirectly, noContext, peerHeaders, request, setEnv } from "../support/http";

// Every query the app makes goes through this spy: the Prisma client (models and raw SQL) and the driver's
// prepared statements. Refusals already decided must leave it (almost) empty.
type Operation = { model?: string; operation: string };
let operations: Operation[] = [];
let database: TestDatabase;

beforeAll(async () => {
  database = await freshDatabase();
  const spied = database.prisma.$extends({
    query: {
      async $allOperations({ model, operation, args, query }) {
        operations.push({ model, operation });
        return query(args);
      },
    },
  }) as unknown as PrismaClient;
  setCurrentDatabase({
    ...database,
    prisma: spied,
    preparedQuery: (statement, values) => {
      operations.push({ operation: `prepared ${statement.name}` });
      return database.preparedQuery(statement, values);
    },
  });
});
afterAll(async () => {
  await database.dispose();
});

const DEFAULTS = {
  LOGIN_BACKOFF_BASE: "30s",
  RATE_LIMIT_LOGIN_FAILURES_PER_IP: "50/15m",
  RATE_LIMIT_TOKEN_REQUESTS_PER_IP: "300/15m",
};
beforeEach(() => setEnv(DEFAULTS));
afterEach(() => vi.restoreAllMocks());

let nextAddress = 0;
function freshAddress(): string {
  nextAddress += 1;
  return `203.0.113.${nextAddress}`;
}

async function attempt(identifier: string, password: string, ip: string) {
  const response = await token(
    request("/api/v1/auth/token", { method: "POST", headers: peerHeaders(ip), json: { identifier, password } }),
    noContext,
  );
  const body = (await response.json()) as { error?: { code: string } };
  return { status: response.status, retryAfter: response.headers.get("retry-after"), code: body.error?.code };
}

/** Wrong passwords until the account's back-off refuses; the refusal came from the database, which said so. */
async function putInBackOff(username: string, ip: string) {
  for (let i = 0; i < 5; i += 1) expect((await attempt(username, `wrong guess ${i}`, ip)).status).toBe(401);
  operations = [];
  const refused = await attempt(username, "one more wrong guess", ip);
  expect(refused).toMatchObject({ status: 429, code: "rate_limited" });
  // The spy does see the database's refusal: the claim is a prepared INSERT … ON CONFLICT.
  expect(operations.some((op) => op.operation === "prepared latchkey_login_claim")).toBe(true);
  return refused;
}

/** The lookup of the account a sign-in names, by address or by username. */
const isAccountLookup = (op: Operation) => op.operation.startsWith("prepared latchkey_sign_in_account_by_");
const writesAndOtherReads = () => operations.filter((op) => !isAccountLookup(op));

/** A new account in a back-off of `base`, and when the database says it ends. */
async function shortBackOff(base: string, prefix: string) {
  setEnv({ LOGIN_BACKOFF_BASE: base });
  const [user] = await createUsersDirectly(1, prefix);
  const ip = freshAddress();
  await putInBackOff(user.username, ip);
  const row = await database.prisma.loginThrottle.findUniqueOrThrow({ where: { key: userThrottleKey(user.id) } });
  return { user, ip, until: row.blockedUntil!.getTime() };
}

/** Pretends `ms` more have passed on this instance's clock (not the database's). */
function advanceClock(ms: number) {
  const realNow = Date.now.bind(Date);
  vi.spyOn(Date, "now").mockImplementation(() => realNow() + ms);
}

describe("a refusal already decided", () => {
  it("a flood on an account in back-off is refused with 429 and Retry-After, and writes nothing", async () => {
    const [user] = await createUsersDirectly(1, "flooded");
    const first = await putInBackOff(user.username, freshAddress());
    const throttleRow = await database.prisma.loginThrottle.findUniqueOrThrow({ where: { key: userThrottleKey(user.id) } });

    operations = [];
    // From many addresses, as a botnet would: no address budget comes to the rescue.
    const flood = await Promise.all(Array.from({ length: 40 }, () => attempt(user.username, "still guessing", freshAddress())));
    for (const refused of flood) {
      expect(refused).toMatchObject({ status: 429, code: "rate_limited" });
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
      expect(Number(refused.retryAfter)).toBeLessThanOrEqual(Number(first.retryAfter));
    }
    // Not even the lookup of the account the identifier names: the refusal taught this instance which it is.
    expect(operations).toEqual([]);
    expect(await database.prisma.loginThrottle.findUniqueOrThrow({ where: { key: userThrottleKey(user.id) } })).toEqual(throttleRow);
    // Even the right password waits for the block, without a query.
    expect((await attempt(user.username, PASSWORD, freshAddress())).status).toBe(429);
    expect(operations).toEqual([]);
    // The same account by another name (its address, in capitals) costs one lookup, then none.
    const email = `${user.username.replace("_", ".")}@example.com`;
    expect((await attempt(email.toUpperCase(), "guess", freshAddress())).status).toBe(429);
    expect(operations).toEqual([{ operation: "prepared latchkey_sign_in_account_by_email" }]);
    operations = [];
    expect((await attempt(email, "guess", freshAddress())).status).toBe(429);
    expect(operations).toEqual([]);
  });

  it("an identifier nobody has, in back-off, is refused without a lookup too, until the block ends", async () => {
    setEnv({ LOGIN_BACKOFF_BASE: "2s" });
    const nobody = `nobody${Date.now()}@example.com`;
    await putInBackOff(nobody, freshAddress());
    operations = [];
    expect((await attempt(nobody, "guess", freshAddress())).status).toBe(429);
    expect(operations).toEqual([]);
    const { events } = await listAuditEvents({ type: "login.throttled" }, 1, 50);
    expect(events.find((event) => event.detail?.identifier === nobody)).toMatchObject({ target: null });
    const row = await database.prisma.loginThrottle.findUniqueOrThrow({ where: { key: identifierThrottleKey(nobody) } });
    await new Promise((resolve) => setTimeout(resolve, row.blockedUntil!.getTime() - Date.now() + 100));
    // Past the block the instance asks the database again: the lookup, a claim, a wrong password.
    expect((await attempt(nobody, "guess", freshAddress())).status).toBe(401);
    expect(operations.some(isAccountLookup)).toBe(true);
  });

  it("an address whose failure window is full is refused without any query at all", async () => {
    setEnv({ RATE_LIMIT_LOGIN_FAILURES_PER_IP: "3/15m" });
    const ip = freshAddress();
    for (let i = 0; i < 3; i += 1) expect((await attempt(`nobody-${i}@example.com`, "wrong", ip)).status).toBe(401);
    expect((await attempt("nobody-3@example.com", "wrong", ip)).status).toBe(429);
    operations = [];
    const flood = await Promise.all(Array.from({ length: 30 }, (_, i) => attempt(`sprayed-${i}@example.com`, "wrong", ip)));
    expect(flood.every((refused) => refused.status === 429 && Number(refused.retryAfter) > 0)).toBe(true);
    expect(Math.max(...flood.map((refused) => Number(refused.retryAfter)))).toBeLessThanOrEqual(900);
    expect(operations).toEqual([]);
  });

  it("a recipient whose mail window is full is refused without any query", async () => {
    const ip = freshAddress();
    const ask = async () => {
      const response = await forgot(
        request("/api/v1/auth/password/forgot", { method: "POST", headers: peerHeaders(ip), json: { email: "mailed-out@example.com" } }),
        noContext,
      );
      return { status: response.status, retryAfter: response.headers.get("retry-after") };
    };
    for (let i = 0; i < 5; i += 1) expect((await ask()).status).toBe(202);
    expect((await ask()).status).toBe(429);
    operations = [];
    const flood = await Promise.all(Array.from({ length: 20 }, ask));
    expect(flood.every((refused) => refused.status === 429 && Number(refused.retryAfter) > 0)).toBe(true);
    expect(operations).toEqual([]);
  });

  it("ends when the database's block ends, not later", async () => {
    const { user, ip, until } = await shortBackOff("2s", "expiring");
    const answers: { at: number; status: number }[] = [];
    for (;;) {
      const at = Date.now();
      const { status } = await attempt(user.username, "wrong while waiting", ip);
      answers.push({ at, status });
      if (status !== 429 || at > until + 5_000) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const allowed = answers.at(-1)!;
    // The attempt after the block checked the password (401), and came as soon as the block had ended.
    expect(allowed.status).toBe(401);
    expect(allowed.at).toBeGreaterThanOrEqual(until - 50);
    expect(allowed.at).toBeLessThan(until + 1_000);
    expect(answers.slice(0, -1).every((answer) => answer.status === 429)).toBe(true);
  });

  it("honours a stricter block another instance wrote to the database once its own runs out", async () => {
    const { user, ip, until } = await shortBackOff("1s", "stricter");
    // Another instance counted more failures meanwhile: the block now lasts ten minutes.
    await database.prisma.loginThrottle.update({
      where: { key: userThrottleKey(user.id) },
      data: { failures: 9, blockedUntil: new Date(Date.now() + 600_000) },
    });
    while (Date.now() <= until + 50) await new Promise((resolve) => setTimeout(resolve, 25));
    const after = await attempt(user.username, PASSWORD, ip);
    expect(after.status).toBe(429);
    expect(Number(after.retryAfter)).toBeGreaterThan(590);
    operations = [];
    expect(Number((await attempt(user.username, PASSWORD, ip)).retryAfter)).toBeGreaterThan(590);
    expect(writesAndOtherReads()).toEqual([]);
  });

  it("a block cleared on this instance ends at once; one cleared elsewhere within the memory's limit", async () => {
    const [here, elsewhere] = await createUsersDirectly(2, "cleared");
    const ip = freshAddress();
    await putInBackOff(here.username, ip);
    await clearLoginFailures(userThrottleKey(here.id));
    expect((await attempt(here.username, PASSWORD, ip)).status).toBe(200);

    // A block longer than the memory's limit, so that only the limit can end the memory of it.
    setEnv({ LOGIN_BACKOFF_BASE: "10m" });
    await putInBackOff(elsewhere.username, ip);
    await database.prisma.loginThrottle.delete({ where: { key: userThrottleKey(elsewhere.id) } });
    // Stricter than the database for a while is allowed; never for longer than the memory's limit.
    expect((await attempt(elsewhere.username, PASSWORD, ip)).status).toBe(429);
    advanceClock(REFUSAL_MEMORY_MAX_MS + 1);
    expect((await attempt(elsewhere.username, PASSWORD, ip)).status).toBe(200);
  });
});

describe("audit without amplification", () => {
  it("merges a flood's refusals into one event per back-off window, with a count and the last time", async () => {
    const { user, ip, until } = await shortBackOff("3s", "counted");
    for (let i = 0; i < 9; i += 1) await attempt(user.username, "wrong", ip);
    // From another address too: an account's refusals are one event, whoever sends them.
    await attempt(user.username, "wrong", freshAddress());
    const { events } = await listAuditEvents({ user: user.id, type: "login.throttled" }, 1, 10);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ count: 11, ip, target: { id: user.id } });
    expect(events[0].lastAt > events[0].createdAt).toBe(true);

    // The next back-off window is a new event (the window is the Retry-After, so up to a second longer).
    while (Date.now() <= until + 1_000) await new Promise((resolve) => setTimeout(resolve, 25));
    expect((await attempt(user.username, "wrong", ip)).status).toBe(401);
    expect((await attempt(user.username, "wrong", ip)).status).toBe(429);
    expect((await attempt(user.username, "wrong", ip)).status).toBe(429);
    const later = await listAuditEvents({ user: user.id, type: "login.throttled" }, 1, 10);
    expect(later.events.map((event) => event.count)).toEqual([2, 11]);
  });

  it("merges repeated failures from one address, and keeps addresses apart", async () => {
    const [user] = await createUsersDirectly(1, "failing");
    const [first, second] = [freshAddress(), freshAddress()];
    for (let i = 0; i < 3; i += 1) await attempt(user.username, `wrong ${i}`, first);
    await attempt(user.username, "wrong again", second);
    const { events } = await listAuditEvents({ user: user.id, type: "login.failure" }, 1, 10);
    expect(events.map((event) => [event.ip, event.count]).sort()).toEqual([[first, 3], [second, 1]].sort());
  });
});

describe("a sign-in that succeeds", () => {
  it("is six statements around the one bcrypt comparison, and leaves everything as the rules say", async () => {
    const [user] = await createUsersDirectly(1, "quick");
    const ip = freshAddress();
    // A first sign-in creates the database's signing key, once: that is not the sign-in's cost.
    expect((await attempt(user.username, PASSWORD, ip)).status).toBe(200);
    // Two failures first: the success must clear the account's count and give the address its slot back.
    for (let i = 0; i < 2; i += 1) expect((await attempt(user.username, `wrong ${i}`, ip)).status).toBe(401);
    const failuresSlotsBefore = (await database.prisma.rateLimit.findUniqueOrThrow({ where: { key: `login-failures:ip:${ip}` } })).hits.length;
    operations = [];
    const response = await token(
      request("/api/v1/auth/token", { method: "POST", headers: peerHeaders(ip), json: { identifier: user.username, password: PASSWORD } }),
      noContext,
    );
    expect(response.status).toBe(200);
    const { refresh_token: refreshToken } = (await response.json()) as { refresh_token: string };
    // The account, the address's token budget, its failure window, the account's claim, then one statement for the
    // success's bookkeeping and one for the new token family: no Prisma query, no transaction.
    expect(operations.map((op) => op.operation)).toEqual([
      "prepared latchkey_sign_in_account_by_username",
      "prepared latchkey_rate_limit_take",
      "prepared latchkey_rate_limit_take",
      "prepared latchkey_login_claim",
      "prepared latchkey_sign_in_succeeded",
      "prepared latchkey_refresh_token_family_start",
    ]);

    expect(await database.prisma.loginThrottle.findUnique({ where: { key: userThrottleKey(user.id) } })).toBeNull();
    const failureSlots = await database.prisma.rateLimit.findUniqueOrThrow({ where: { key: `login-failures:ip:${ip}` } });
    expect(failureSlots.hits).toHaveLength(failuresSlotsBefore);
    const account = await database.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(Date.now() - account.lastLoginAt!.getTime()).toBeLessThan(60_000);
    expect(account.updatedAt.getTime()).toBe(account.lastLoginAt!.getTime());
    const { events } = await listAuditEvents({ user: user.id, type: "login.success" }, 1, 10);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ actor: { id: user.id }, target: { id: user.id }, ip, userAgent: null, count: 1, detail: { via: "api" } });
    const [session] = await database.prisma.session.findMany({
      where: { userId: user.id },
      include: { refreshTokens: true },
      orderBy: { createdAt: "desc" },
      take: 1,
    });
    expect(session).toMatchObject({ kind: "REFRESH_TOKEN", ip, refreshTokens: [{ rotatedAt: null }] });
    expect(session.expires.getTime() - session.createdAt.getTime()).toBe(env().REFRESH_TOKEN_LIFETIME * 1000);
    expect(session.authenticatedAt.getTime() % 1000).toBe(0);
    // And the pair works: the refresh token rotates.
    const refreshed = await token(
      request("/api/v1/auth/token", { method: "POST", headers: peerHeaders(ip), json: { grant_type: "refresh_token", refresh_token: refreshToken } }),
      noContext,
    );
    expect(refreshed.status).toBe(200);
  });
});
