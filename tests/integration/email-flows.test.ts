import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as verifyEmail } from "@/app/api/v1/auth/email/verify/route";
import { POST as changePasswordRoute } from "@/app/api/v1/auth/password/change/route";
import { POST as forgot } from "@/app/api/v1/auth/password/forgot/route";
import { POST as reset } from "@/app/api/v1/auth/password/reset/route";
import { POST as signup } from "@/app/api/v1/auth/signup/route";
import { POST as token } from "@/app/api/v1/auth/token/route";
import { GET as me } from "@/app/api/v1/me/route";
import { drainMail, startMailWorker, stopMailWorker } from "@/lib/services/mail-queue";
import { userThrottleKey } from "@/lib/security/login-throttle";
import { deleteOwnAccount } from "@/lib/services/accounts";
import { LAST_ADMIN_DELETE_MESSAGE } from "@/lib/errors";
import { confirmEmailToken, requestEmailChange } from "@/lib/services/email-flows";
import { freshDatabase, type TestDatabase } from "../support/database";
import { PASSWORD, TEST_CONTEXT, createAdminWithToken, createUserWithToken, noContext, request, setEnv, uniqueName } from "../support/http";
import { startSmtpServer, tokenFrom, type TestSmtpServer } from "../support/smtp";

const PUBLIC_ORIGIN = "https://latchkey.example";
const NEW_PASSWORD = "a fresh passphrase after the reset";

let database: TestDatabase;
let smtp: TestSmtpServer;
beforeAll(async () => {
  database = await freshDatabase();
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await drainMail();
  await smtp.close();
  await database.dispose();
});

beforeEach(() => {
  setEnv({
    SMTP_URL: smtp.url,
    AUTH_URL: PUBLIC_ORIGIN,
    AUTH_REQUIRE_EMAIL_VERIFICATION: undefined,
    RATE_LIMIT_MAILS_PER_ADDRESS: "5/1h",
    RATE_LIMIT_MAILS_PER_IP: "1000/1h",
  });
});

// Requests claim to come for another host: links must still use AUTH_URL.
const post = (route: (request: Request, context: never) => Promise<Response>, path: string, json: unknown, extra: Record<string, string> = {}) =>
  route(request(path, { method: "POST", json, headers: { host: "evil.example", "x-forwarded-host": "evil.example", ...extra } }), noContext);
const meStatus = async (bearer: string) => (await me(request("/api/v1/me", { token: bearer }), noContext)).status;
const login = (identifier: string, password: string) => post(token, "/api/v1/auth/token", { identifier, password });

async function signUpThroughApi(prefix: string) {
  const names = uniqueName(prefix);
  const response = await post(signup, "/api/v1/auth/signup", { ...names, password: PASSWORD });
  return { names, response };
}

describe("verification at signup", () => {
  it("mails a link built from AUTH_URL with a text and an HTML part; the link confirms the address once", async () => {
    const { names, response } = await signUpThroughApi("verify");
    expect(response.status).toBe(201);
    const mail = await smtp.waitForMail(names.email, /Confirm your email/);
    expect(mail.text).toContain(`${PUBLIC_ORIGIN}/verify-email?token=`);
    expect(mail.html).toContain(`${PUBLIC_ORIGIN}/verify-email?token=`);
    expect(mail.text + mail.html).not.toContain("evil.example");
    expect(mail.parsed.from?.text).toContain("no-reply@localhost");
    const mailed = tokenFrom(mail, "/verify-email");

    const stored = await database.prisma.emailToken.findFirstOrThrow({ where: { email: names.email } });
    expect(stored.tokenHash).not.toContain(mailed);
    expect(JSON.stringify(stored)).not.toContain(mailed);

    expect((await post(verifyEmail, "/api/v1/auth/email/verify", { token: mailed })).status).toBe(204);
    expect((await database.prisma.user.findUniqueOrThrow({ where: { email: names.email } })).emailVerified).not.toBeNull();
    const reused = await post(verifyEmail, "/api/v1/auth/email/verify", { token: mailed });
    expect(reused.status).toBe(400);
    expect((await reused.json()).error.code).toBe("invalid_token");
  });

  it("refuses tampered, unknown, malformed and expired tokens with 400 invalid_token", async () => {
    const { names } = await signUpThroughApi("tamper");
    const mailed = tokenFrom(await smtp.waitForMail(names.email, /Confirm your email/), "/verify-email");
    const tampered = `${mailed.slice(0, -1)}${mailed.endsWith("A") ? "B" : "A"}`;
    await database.prisma.emailToken.updateMany({ where: { email: names.email }, data: { expiresAt: new Date(Date.now() - 1000) } });
    for (const bad of [tampered, "A".repeat(43), "not-a-token", mailed]) {
      const response = await post(verifyEmail, "/api/v1/auth/email/verify", { token: bad });
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe("invalid_token");
    }
    expect((await post(verifyEmail, "/api/v1/auth/email/verify", { token: 42 })).status).toBe(400);
  });

  it("with AUTH_REQUIRE_EMAIL_VERIFICATION, new and registered emails get the same 202, and login waits for the link", async () => {
    setEnv({ AUTH_REQUIRE_EMAIL_VERIFICATION: "1" });
    const fresh = await signUpThroughApi("required");
    expect(fresh.response.status).toBe(202);
    const again = await post(signup, "/api/v1/auth/signup", { ...uniqueName("other"), email: fresh.names.email, password: PASSWORD });
    expect(again.status).toBe(202);
    const body = await again.text();
    expect(body).toBe(await fresh.response.text());
    expect(JSON.parse(body)).toEqual({ status: "verification_sent" });

    const attempt = await smtp.waitForMail(fresh.names.email, /Someone tried to sign up/);
    expect(attempt.text).toContain(`${PUBLIC_ORIGIN}/forgot-password`);
    const verification = await smtp.waitForMail(fresh.names.email, /Confirm your email/);

    const early = await login(fresh.names.username, PASSWORD);
    expect(early.status).toBe(401);
    expect((await early.json()).error.code).toBe("email_not_verified");
    const wrong = await login(fresh.names.username, "a wrong password entirely");
    expect((await wrong.json()).error.code).toBe("invalid_credentials");
    expect((await post(verifyEmail, "/api/v1/auth/email/verify", { token: tokenFrom(verification, "/verify-email") })).status).toBe(204);
    expect((await login(fresh.names.username, PASSWORD)).status).toBe(200);
  });
});

describe("forgot and reset password", () => {
  it("answers known and unknown addresses alike, in similar time, and mails only the real owner", async () => {
    setEnv({ RATE_LIMIT_MAILS_PER_ADDRESS: "1000/1h" });
    const alice = await createUserWithToken("forgetful");
    const times: Record<"known" | "unknown", number[]> = { known: [], unknown: [] };
    const bodies = new Set<string>();
    for (let round = 0; round < 20; round += 1) {
      for (const kind of round % 2 ? (["known", "unknown"] as const) : (["unknown", "known"] as const)) {
        const email = kind === "known" ? alice.user.email : uniqueName("stranger").email;
        const started = performance.now();
        const response = await post(forgot, "/api/v1/auth/password/forgot", { email });
        times[kind].push(performance.now() - started);
        bodies.add(`${response.status} ${await response.text()}`);
      }
    }
    expect([...bodies]).toEqual(['202 {"status":"accepted"}']);
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const gap = Math.abs(median(times.known) - median(times.unknown));
    console.log(`forgot-password medians: known ${median(times.known).toFixed(1)} ms, unknown ${median(times.unknown).toFixed(1)} ms`);
    expect(gap).toBeLessThan(25);
    await drainMail();
    expect(smtp.mails.filter((mail) => /Reset your password/.test(mail.subject) && mail.to.startsWith("stranger"))).toHaveLength(0);
  });

  it("reset: newest link only, single use, ends every session, clears back-off, mails a notice, doesn't sign in", async () => {
    const alice = await createUserWithToken("resetter");
    await database.prisma.loginThrottle.create({
      data: { key: userThrottleKey(alice.user.id), failures: 7, blockedUntil: new Date(Date.now() + 600_000), updatedAt: new Date() },
    });
    expect((await post(forgot, "/api/v1/auth/password/forgot", { email: alice.user.email })).status).toBe(202);
    const older = tokenFrom(await smtp.waitForMail(alice.user.email, /Reset your password/), "/reset-password");
    expect((await post(forgot, "/api/v1/auth/password/forgot", { email: alice.user.email })).status).toBe(202);
    await drainMail();
    const newer = tokenFrom(smtp.mails.findLast((mail) => mail.to === alice.user.email && /Reset/.test(mail.subject))!, "/reset-password");
    expect(newer).not.toBe(older);

    const stale = await post(reset, "/api/v1/auth/password/reset", { token: older, password: NEW_PASSWORD });
    expect(stale.status).toBe(400);
    expect((await stale.json()).error.code).toBe("invalid_token");
    const weak = await post(reset, "/api/v1/auth/password/reset", { token: newer, password: "password" });
    expect(weak.status).toBe(400);
    expect((await weak.json()).error.code).toBe("validation_error");

    const done = await post(reset, "/api/v1/auth/password/reset", { token: newer, password: NEW_PASSWORD });
    expect(done.status).toBe(204);
    expect(done.headers.get("set-cookie")).toBeNull();
    expect(await meStatus(alice.token)).toBe(401);
    expect(await database.prisma.loginThrottle.findUnique({ where: { key: userThrottleKey(alice.user.id) } })).toBeNull();
    await smtp.waitForMail(alice.user.email, /Your password was changed/);
    expect((await login(alice.user.username, PASSWORD)).status).toBe(401);
    expect((await login(alice.user.username, NEW_PASSWORD)).status).toBe(200);
    const reused = await post(reset, "/api/v1/auth/password/reset", { token: newer, password: "yet another passphrase here" });
    expect((await reused.json()).error.code).toBe("invalid_token");
  });

  it("reset links expire after an hour", async () => {
    const bob = await createUserWithToken("expiring");
    await post(forgot, "/api/v1/auth/password/forgot", { email: bob.user.email });
    const mailed = tokenFrom(await smtp.waitForMail(bob.user.email, /Reset your password/), "/reset-password");
    const row = await database.prisma.emailToken.findFirstOrThrow({ where: { userId: bob.user.id, purpose: "RESET_PASSWORD" } });
    expect(Math.abs(row.expiresAt.getTime() - row.createdAt.getTime() - 60 * 60 * 1000)).toBeLessThan(1000);
    await database.prisma.emailToken.update({ where: { id: row.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect((await post(reset, "/api/v1/auth/password/reset", { token: mailed, password: NEW_PASSWORD })).status).toBe(400);
  });

  it("limits mail per address (the verification mail at signup was the first of five) and says when to retry", async () => {
    const carol = await createUserWithToken("limited");
    const responses = [];
    for (let i = 0; i < 5; i += 1) responses.push(await post(forgot, "/api/v1/auth/password/forgot", { email: carol.user.email }));
    expect(responses.map((response) => response.status)).toEqual([202, 202, 202, 202, 429]);
    expect(Number(responses[4].headers.get("retry-after"))).toBeGreaterThan(3000);
    expect((await responses[4].json()).error.code).toBe("rate_limited");
  });

  it("a mail server that fails is retried in the background; the request neither waits nor fails", async () => {
    const dave = await createUserWithToken("flaky");
    // Dave's verification mail from signup is delivered first, so the one refusal can only meet the reset mail.
    await smtp.waitForMail(dave.user.email, /Confirm your email/);
    const before = smtp.attempts(dave.user.email);
    smtp.failNext(1, dave.user.email);
    // The retry comes from the worker that polls in every server (lib/server-start.ts).
    startMailWorker();
    try {
      const started = performance.now();
      const response = await post(forgot, "/api/v1/auth/password/forgot", { email: dave.user.email });
      expect(response.status).toBe(202);
      expect(performance.now() - started).toBeLessThan(500);
      await smtp.waitForMail(dave.user.email, /Reset your password/, 15_000);
      expect(smtp.attempts(dave.user.email) - before).toBe(2);
    } finally {
      await stopMailWorker();
    }
  });
});

describe("changes signed-in users make", () => {
  it("a password change mails a notice", async () => {
    const erin = await createUserWithToken("notice");
    const response = await changePasswordRoute(
      request("/api/v1/auth/password/change", { method: "POST", token: erin.token, json: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD } }),
      noContext,
    );
    expect(response.status).toBe(204);
    const mail = await smtp.waitForMail(erin.user.email, /Your password was changed/);
    expect(mail.text).not.toContain(NEW_PASSWORD);
  });

  it("a new email address takes effect only through the link sent to it; the old address is told", async () => {
    const frank = await createUserWithToken("mover");
    const newEmail = uniqueName("moved").email;
    await expect(requestEmailChange(frank.user.id, { newEmail, password: "not my password" }, TEST_CONTEXT)).rejects.toMatchObject({ status: 401 });
    await requestEmailChange(frank.user.id, { newEmail, password: PASSWORD }, TEST_CONTEXT);
    expect((await database.prisma.user.findUniqueOrThrow({ where: { id: frank.user.id } })).email).toBe(frank.user.email);
    const link = tokenFrom(await smtp.waitForMail(newEmail, /Confirm your new email/), "/verify-email");
    expect(await confirmEmailToken(link, TEST_CONTEXT)).toEqual({ purpose: "CHANGE_EMAIL", email: newEmail });
    const updated = await database.prisma.user.findUniqueOrThrow({ where: { id: frank.user.id } });
    expect(updated.email).toBe(newEmail);
    expect(updated.emailVerified).not.toBeNull();
    const told = await smtp.waitForMail(frank.user.email, /Your email address was changed/);
    expect(told.text).toContain(newEmail);
    await expect(confirmEmailToken(link, TEST_CONTEXT)).rejects.toMatchObject({ code: "invalid_token" });
  });

  it("a taken address gets the same answer as a free one; only its owner hears of it, and nothing changes", async () => {
    const mover = await createUserWithToken("prober");
    const owner = await createUserWithToken("owner");
    const ownerBefore = await database.prisma.user.findUniqueOrThrow({ where: { id: owner.user.id } });
    const freeAnswer = await requestEmailChange(mover.user.id, { newEmail: uniqueName("free").email, password: PASSWORD }, TEST_CONTEXT);
    const takenAnswer = await requestEmailChange(mover.user.id, { newEmail: owner.user.email, password: PASSWORD }, TEST_CONTEXT);
    expect(takenAnswer).toEqual(freeAnswer);

    const told = await smtp.waitForMail(owner.user.email, /Someone tried to use your email for another account/);
    expect(told.text).toContain("Nothing changed");
    expect(told.html).toContain("Nothing changed");
    expect(told.text).not.toContain("/verify-email");
    expect(told.text).not.toContain(mover.user.email);
    expect(await database.prisma.emailToken.count({ where: { email: owner.user.email, purpose: "CHANGE_EMAIL" } })).toBe(0);
    expect(await database.prisma.user.findUniqueOrThrow({ where: { id: owner.user.id } })).toEqual(ownerBefore);
    expect((await database.prisma.user.findUniqueOrThrow({ where: { id: mover.user.id } })).email).toBe(mover.user.email);
  });

  it("mail about a taken address counts against the same limits as any other: past them, the same 429", async () => {
    setEnv({ RATE_LIMIT_MAILS_PER_ADDRESS: "2/1h" });
    const mover = await createUserWithToken("repeat");
    const owner = await createUserWithToken("pestered");
    const free = uniqueName("repeatfree").email;
    const outcomes = async (newEmail: string) => {
      const settled = [];
      for (let i = 0; i < 4; i += 1) {
        settled.push(await requestEmailChange(mover.user.id, { newEmail, password: PASSWORD }, TEST_CONTEXT).then(() => 200, (error) => error.status));
      }
      return settled;
    };
    expect(await outcomes(free)).toEqual([200, 200, 429, 429]);
    const taken = await outcomes(owner.user.email);
    expect(taken.filter((status) => status === 200).length).toBeLessThanOrEqual(2);
    expect(taken.slice(2)).toEqual([429, 429]);
    await drainMail();
    const told = smtp.mails.filter((mail) => mail.to === owner.user.email && /Someone tried to use your email/.test(mail.subject));
    expect(told).toHaveLength(taken.filter((status) => status === 200).length);
  });

  it("deleting one's account needs the password and removes the user and what is theirs in one go", async () => {
    const gina = await createUserWithToken("leaver");
    await post(forgot, "/api/v1/auth/password/forgot", { email: gina.user.email });
    await expect(deleteOwnAccount(gina.user.id, "not my password", TEST_CONTEXT)).rejects.toMatchObject({ status: 401 });
    expect(await meStatus(gina.token)).toBe(200);
    await deleteOwnAccount(gina.user.id, PASSWORD, TEST_CONTEXT);
    expect(await database.prisma.user.findUnique({ where: { id: gina.user.id } })).toBeNull();
    expect(await database.prisma.session.count({ where: { userId: gina.user.id } })).toBe(0);
    expect(await database.prisma.emailToken.count({ where: { userId: gina.user.id } })).toBe(0);
    expect(await meStatus(gina.token)).toBe(401);
    await smtp.waitForMail(gina.user.email, /Your account was deleted/);
    expect(await database.prisma.auditEvent.count({ where: { targetId: gina.user.id, type: "user.delete" } })).toBe(1);
  });

  it("the last admin can't delete their own account", async () => {
    await database.prisma.user.updateMany({ where: { role: "ADMIN" }, data: { role: "USER" } });
    const admin = await createAdminWithToken("lonely");
    await expect(deleteOwnAccount(admin.user.id, PASSWORD, TEST_CONTEXT)).rejects.toMatchObject({ message: LAST_ADMIN_DELETE_MESSAGE });
    expect(await meStatus(admin.token)).toBe(200);
  });
});
