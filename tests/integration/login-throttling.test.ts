import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as signup } from "@/app/api/v1/auth/signup/route";
import { POST as token } from "@/app/api/v1/auth/token/route";
import { PEER_ADDRESS_HEADER, PEER_PROOF_HEADER } from "@/lib/security/request-context";
import { deleteExpiredRateLimits } from "@/lib/security/rate-limit";
import { userThrottleKey } from "@/lib/security/login-throttle";
import { forgetAllRefusals } from "@/lib/security/refusal-memory";
import { freshDatabase, type TestDatabase } from "../support/database";
import { PASSWORD, createUsersDirectly, noContext, request, setEnv, uniqueName } from "../support/http";

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database.dispose();
});

const DEFAULT_LIMITS = {
  RATE_LIMIT_LOGIN_FAILURES_PER_IP: "50/15m",
  RATE_LIMIT_SIGNUPS_PER_IP: "30/1h",
  RATE_LIMIT_TOKEN_REQUESTS_PER_IP: "300/15m",
  AUTH_TRUST_PROXY: undefined,
};
beforeEach(() => setEnv(DEFAULT_LIMITS));

let nextAddress = 0;
/** A client address no other test uses. */
function freshAddress(): string {
  nextAddress += 1;
  return `198.51.100.${nextAddress}`;
}

type Attempt = { identifier: string; password: string; ip: string; forwardedFor?: string };

async function attempt({ identifier, password, ip, forwardedFor }: Attempt) {
  const headers: Record<string, string> = { [PEER_ADDRESS_HEADER]: ip };
  if (forwardedFor) headers["x-forwarded-for"] = forwardedFor;
  const response = await token(request("/api/v1/auth/token", { method: "POST", headers, json: { identifier, password } }), noContext);
  return { status: response.status, retryAfter: response.headers.get("retry-after"), body: await response.text() };
}

const statuses = (results: { status: number }[]) => results.map((result) => result.status);

/** Moves the block's end into the past; this instance's memory of the block goes with it, as time would take it. */
async function expireBackOff(userId: string) {
  await database.prisma.loginThrottle.update({
    where: { key: userThrottleKey(userId) },
    data: { blockedUntil: new Date(Date.now() - 1000) },
  });
  forgetAllRefusals();
}

describe("per-account back-off", () => {
  it("30 wrong passwords then the right one: 5 refusals, then 429 with Retry-After for everything, the right password too", async () => {
    const [user] = await createUsersDirectly(1, "thirty");
    const ip = freshAddress();
    const results = [];
    for (let i = 0; i < 30; i += 1) results.push(await attempt({ identifier: user.username, password: `wrong guess ${i}`, ip }));
    expect(statuses(results)).toEqual([...Array(5).fill(401), ...Array(25).fill(429)]);
    expect(JSON.parse(results[5].body).error.code).toBe("rate_limited");
    expect(Number(results[5].retryAfter)).toBeGreaterThan(0);
    expect(Number(results[5].retryAfter)).toBeLessThanOrEqual(30);
    // Refused attempts while blocked are not counted: the back-off did not grow past its first step.
    expect((await database.prisma.loginThrottle.findUnique({ where: { key: userThrottleKey(user.id) } }))?.failures).toBe(5);

    const right = await attempt({ identifier: user.username, password: PASSWORD, ip });
    expect(right.status).toBe(429);

    await expireBackOff(user.id);
    expect((await attempt({ identifier: user.username, password: PASSWORD, ip })).status).toBe(200);
    // A success resets the count: five more tries before any back-off.
    expect(await database.prisma.loginThrottle.findUnique({ where: { key: userThrottleKey(user.id) } })).toBeNull();
  });

  it("doubles the delay with every further failure, capped at 15 minutes", async () => {
    const [user] = await createUsersDirectly(1, "doubling");
    const ip = freshAddress();
    for (let i = 0; i < 5; i += 1) await attempt({ identifier: user.username, password: "wrong wrong wrong", ip });
    const delays = [];
    for (let step = 0; step < 6; step += 1) {
      delays.push(Number((await attempt({ identifier: user.username, password: "wrong wrong wrong", ip })).retryAfter));
      await expireBackOff(user.id);
      expect((await attempt({ identifier: user.username, password: "wrong wrong wrong", ip })).status).toBe(401);
    }
    const last = Number((await attempt({ identifier: user.username, password: "wrong wrong wrong", ip })).retryAfter);
    expect(delays[0]).toBeLessThanOrEqual(30);
    for (let i = 1; i < delays.length; i += 1) expect(delays[i]).toBeGreaterThan(delays[i - 1]);
    expect(delays[1]).toBeGreaterThan(50);
    expect(last).toBeLessThanOrEqual(900);
    expect(last).toBeGreaterThan(800);
  });

  it("after 100 consecutive failures the account stays blocked until an admin or a password reset clears it", async () => {
    const [user] = await createUsersDirectly(1, "hundred");
    const ip = freshAddress();
    await database.prisma.loginThrottle.create({
      data: { key: userThrottleKey(user.id), failures: 99, blockedUntil: new Date(Date.now() - 1000), updatedAt: new Date() },
    });
    expect((await attempt({ identifier: user.username, password: "wrong once more", ip })).status).toBe(401);
    const [row] = await database.prisma.$queryRaw<{ infinite: boolean }[]>`
      SELECT "blockedUntil" = 'infinity' AS infinite FROM "LoginThrottle" WHERE "key" = ${userThrottleKey(user.id)}`;
    expect(row.infinite).toBe(true);
    const right = await attempt({ identifier: user.username, password: PASSWORD, ip });
    expect(right.status).toBe(429);
    expect(right.retryAfter).toBe("900");
  });

  it("racing failed logins can't slip past the count: 20 at once give exactly 5 password checks", async () => {
    const [user] = await createUsersDirectly(1, "racer");
    const ip = freshAddress();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => attempt({ identifier: user.username, password: `racing guess ${i}`, ip })),
    );
    expect(statuses(results).filter((status) => status === 401)).toHaveLength(5);
    expect(statuses(results).filter((status) => status === 429)).toHaveLength(15);
  });

  it("an identifier with no account is throttled exactly like a real one (same status, body and Retry-After)", async () => {
    const [user] = await createUsersDirectly(1, "twin");
    const ghost = `${uniqueName("ghost").username}`;
    const ip = freshAddress();
    const real = [];
    const fake = [];
    for (let i = 0; i < 7; i += 1) {
      real.push(await attempt({ identifier: user.username, password: "wrong twin guess", ip }));
      fake.push(await attempt({ identifier: ghost, password: "wrong twin guess", ip }));
    }
    expect(statuses(fake)).toEqual(statuses(real));
    expect(fake.map((result) => result.body)).toEqual(real.map((result) => result.body));
    // Both blocks started about one bcrypt apart, so the rounded seconds may straddle a boundary.
    expect(Math.abs(Number(fake[6].retryAfter) - Number(real[6].retryAfter))).toBeLessThanOrEqual(1);
  });
});

describe("per-address limits", () => {
  it("password spraying: 50 accounts from one address, then the 51st is refused, even with the right password", async () => {
    const users = await createUsersDirectly(52, "spray");
    const ip = freshAddress();
    const sprayed = [];
    for (const user of users.slice(0, 50)) sprayed.push(await attempt({ identifier: user.username, password: "Spring2026!Spring2026!", ip }));
    expect(statuses(sprayed)).toEqual(Array(50).fill(401));
    const next = await attempt({ identifier: users[50].username, password: "Spring2026!Spring2026!", ip });
    expect(next.status).toBe(429);
    expect(Number(next.retryAfter)).toBeGreaterThan(800);
    expect(Number(next.retryAfter)).toBeLessThanOrEqual(900);
    expect((await attempt({ identifier: users[51].username, password: PASSWORD, ip })).status).toBe(429);
    // Another address is not affected.
    expect((await attempt({ identifier: users[51].username, password: PASSWORD, ip: freshAddress() })).status).toBe(200);
  });

  it("rotating X-Forwarded-For changes nothing unless AUTH_TRUST_PROXY says a proxy sets it", async () => {
    setEnv({ RATE_LIMIT_LOGIN_FAILURES_PER_IP: "5/15m" });
    const users = await createUsersDirectly(12, "rotate");
    const ip = freshAddress();
    const rotated = [];
    for (const [i, user] of users.slice(0, 6).entries()) {
      rotated.push(await attempt({ identifier: user.username, password: "wrong rotating guess", ip, forwardedFor: `203.0.113.${i}` }));
    }
    expect(statuses(rotated)).toEqual([401, 401, 401, 401, 401, 429]);

    setEnv({ RATE_LIMIT_LOGIN_FAILURES_PER_IP: "5/15m", AUTH_TRUST_PROXY: "1" });
    const proxy = freshAddress();
    const behindProxy = [];
    for (const [i, user] of users.slice(6).entries()) {
      behindProxy.push(
        await attempt({ identifier: user.username, password: "wrong rotating guess", ip: proxy, forwardedFor: `1.2.3.4, 203.0.113.${50 + i}` }),
      );
    }
    expect(statuses(behindProxy)).toEqual(Array(6).fill(401));
    // Behind the proxy, one client is still one client whatever it puts further left in the header.
    const spoofing = [];
    for (let i = 0; i < 6; i += 1) {
      spoofing.push(
        await attempt({ identifier: users[6 + i].username, password: "another wrong guess", ip: proxy, forwardedFor: `10.9.9.${i}, 203.0.113.200` }),
      );
    }
    expect(statuses(spoofing)).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it("IPv6 behind a trusted proxy: 60 failed logins from 60 addresses of one /64 are one client, refused at the limit", async () => {
    setEnv({ AUTH_TRUST_PROXY: "1" });
    const users = await createUsersDirectly(61, "prefix");
    const proxy = freshAddress();
    const results = [];
    for (const [i, user] of users.slice(0, 60).entries()) {
      const client = `2001:db8:60:1:${(i * 977).toString(16)}:${i.toString(16)}::${(i + 1).toString(16)}`;
      results.push(await attempt({ identifier: user.username, password: "wrong prefix guess", ip: proxy, forwardedFor: client }));
    }
    expect(statuses(results)).toEqual([...Array(50).fill(401), ...Array(10).fill(429)]);
    expect(JSON.parse(results[50].body).error.code).toBe("rate_limited");
    // The neighbouring /64 is another client.
    expect((await attempt({ identifier: users[60].username, password: PASSWORD, ip: proxy, forwardedFor: "2001:db8:60:2::1" })).status).toBe(200);
  });

  it("an IPv4 client is one client whether it arrives as IPv4 or IPv4-mapped IPv6", async () => {
    setEnv({ RATE_LIMIT_LOGIN_FAILURES_PER_IP: "3/15m" });
    const users = await createUsersDirectly(4, "mapped");
    const ip = freshAddress();
    const forms = [ip, `::ffff:${ip}`, `[::ffff:${ip}]`, `::ffff:${ip}`];
    const results = [];
    for (const [i, user] of users.entries()) results.push(await attempt({ identifier: user.username, password: "wrong mapped guess", ip: forms[i] }));
    expect(statuses(results)).toEqual([401, 401, 401, 429]);
  });

  it("a peer header without our server's proof is not believed: forged addresses all share one bucket", async () => {
    setEnv({ RATE_LIMIT_LOGIN_FAILURES_PER_IP: "3/15m" });
    const users = await createUsersDirectly(4, "forged");
    const results = [];
    for (const user of users) {
      const response = await token(
        request("/api/v1/auth/token", {
          method: "POST",
          headers: { [PEER_ADDRESS_HEADER]: freshAddress(), [PEER_PROOF_HEADER]: "forged by the client" },
          json: { identifier: user.username, password: "wrong forged guess" },
        }),
        noContext,
      );
      results.push(response);
    }
    expect(results.map((response) => response.status)).toEqual([401, 401, 401, 429]);
  });

  it("racing failures across accounts can't pass the address limit either", async () => {
    setEnv({ RATE_LIMIT_LOGIN_FAILURES_PER_IP: "5/15m" });
    const users = await createUsersDirectly(20, "swarm");
    const ip = freshAddress();
    const results = await Promise.all(users.map((user) => attempt({ identifier: user.username, password: "wrong swarm guess", ip })));
    // Every answer counted: five password checks, and every other attempt refused by the limit (not failed otherwise).
    expect(statuses(results).sort()).toEqual([...Array(5).fill(401), ...Array(15).fill(429)]);
    expect(results.filter((response) => response.status === 429).every((response) => Number(response.retryAfter) > 0)).toBe(true);
  });

  it("successful logins don't use up the address's failure budget", async () => {
    setEnv({ RATE_LIMIT_LOGIN_FAILURES_PER_IP: "3/15m" });
    const users = await createUsersDirectly(4, "goodip");
    const ip = freshAddress();
    for (let i = 0; i < 6; i += 1) expect((await attempt({ identifier: users[i % 4].username, password: PASSWORD, ip })).status).toBe(200);
    const failures = [];
    for (const user of users) failures.push(await attempt({ identifier: user.username, password: "wrong budget guess", ip }));
    expect(statuses(failures)).toEqual([401, 401, 401, 429]);
  });

  it("limits signups and token requests per address, and says when to retry", async () => {
    setEnv({ RATE_LIMIT_SIGNUPS_PER_IP: "2/1h", RATE_LIMIT_TOKEN_REQUESTS_PER_IP: "3/15m" });
    const ip = freshAddress();
    const signupFrom = (address: string) =>
      signup(
        request("/api/v1/auth/signup", {
          method: "POST",
          headers: { [PEER_ADDRESS_HEADER]: address },
          json: { ...uniqueName("limited"), password: PASSWORD },
        }),
        noContext,
      );
    const signups = [await signupFrom(ip), await signupFrom(ip), await signupFrom(ip)];
    expect(signups.map((response) => response.status)).toEqual([201, 201, 429]);
    expect(Number(signups[2].headers.get("retry-after"))).toBeGreaterThan(3500);
    expect((await signups[2].json()).error.code).toBe("rate_limited");
    expect((await signupFrom(freshAddress())).status).toBe(201);

    const [user] = await createUsersDirectly(1, "tokens");
    const tokens = [];
    for (let i = 0; i < 4; i += 1) tokens.push(await attempt({ identifier: user.username, password: PASSWORD, ip }));
    expect(statuses(tokens)).toEqual([200, 200, 200, 429]);
  });

  it("old windows expire and are swept", async () => {
    await database.prisma.rateLimit.create({ data: { key: "test:old", hits: [1n], expiresAt: new Date(Date.now() - 60_000) } });
    expect(await deleteExpiredRateLimits()).toBeGreaterThanOrEqual(1);
    expect(await database.prisma.rateLimit.findUnique({ where: { key: "test:old" } })).toBeNull();
  });
});
