import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as token } from "@/app/api/v1/auth/token/route";
import { hashApiKey } from "@/lib/crypto/api-key";
import { drainMail } from "@/lib/services/mail-queue";
import { sweepExpiredRows } from "@/lib/server-start";
import { MAX_API_KEYS_PER_USER, createUserApiKey } from "@/lib/services/api-keys";
import { resendVerification } from "@/lib/services/email-flows";
import { MAX_PASSKEYS_PER_USER, passkeyRegistrationOptions } from "@/lib/services/passkeys";
import { createSession } from "@/lib/services/sessions";
import { freshDatabase, type TestDatabase } from "../support/database";
import { PASSWORD, TEST_CONTEXT, createUsersDirectly, noContext, request, setEnv, uniqueName } from "../support/http";
import { startSmtpServer, type TestSmtpServer } from "../support/smtp";

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database.dispose();
});

const past = () => new Date(Date.now() - 60_000);
const future = () => new Date(Date.now() + 600_000);

describe("per-user caps", () => {
  it(`at most ${MAX_API_KEYS_PER_USER} API keys: the next one is refused until one is revoked`, async () => {
    const [owner] = await createUsersDirectly(1, "keycap");
    await database.prisma.apiKey.createMany({
      data: Array.from({ length: MAX_API_KEYS_PER_USER - 1 }, (_, i) => ({ userId: owner.id, name: `k${i}`, prefix: "lk_x", keyHash: hashApiKey(`lk_${randomBytes(16).toString("hex")}`) })),
    });
    // The cap itself is reachable: one short of it, a key is made.
    await createUserApiKey(owner.id, { name: "last allowed" }, TEST_CONTEXT);
    await expect(createUserApiKey(owner.id, { name: "one too many" }, TEST_CONTEXT)).rejects.toMatchObject({ status: 400, code: "validation_error" });
    expect(await database.prisma.apiKey.count({ where: { userId: owner.id } })).toBe(MAX_API_KEYS_PER_USER);
    await database.prisma.apiKey.deleteMany({ where: { userId: owner.id, name: "k0" } });
    await createUserApiKey(owner.id, { name: "after a revocation" }, TEST_CONTEXT);
  });

  it(`at most ${MAX_PASSKEYS_PER_USER} passkeys: registration options are refused past the cap`, async () => {
    const [owner] = await createUsersDirectly(1, "pkcap");
    const passkey = (i: number) => ({
      credentialID: `cap-${owner.id}-${i}`,
      userId: owner.id,
      providerAccountId: owner.id,
      credentialPublicKey: "AA",
      counter: 0,
      credentialDeviceType: "singleDevice",
      credentialBackedUp: false,
      name: `Key ${i}`,
    });
    await database.prisma.authenticator.createMany({ data: Array.from({ length: MAX_PASSKEYS_PER_USER - 1 }, (_, i) => passkey(i)) });
    expect((await passkeyRegistrationOptions(owner.id, PASSWORD, TEST_CONTEXT)).challenge).toBeTruthy();
    await database.prisma.authenticator.create({ data: passkey(MAX_PASSKEYS_PER_USER) });
    await expect(passkeyRegistrationOptions(owner.id, PASSWORD, TEST_CONTEXT)).rejects.toMatchObject({ status: 409, code: "too_many_passkeys" });
  });
});

describe("resend verification", () => {
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await drainMail();
    await smtp.close();
  });

  it("mails a fresh link only to an unverified account; verified and unknown addresses get the same silence", async () => {
    setEnv({ SMTP_URL: smtp.url, RATE_LIMIT_MAILS_PER_ADDRESS: "1000/1h", RATE_LIMIT_MAILS_PER_IP: "1000/1h" });
    const [unverified, verified] = await createUsersDirectly(2, "resend");
    await database.prisma.user.update({ where: { id: verified.id }, data: { emailVerified: new Date() } });
    const emails = await database.prisma.user.findMany({ where: { id: { in: [unverified.id, verified.id] } }, select: { id: true, email: true } });
    const emailOf = (id: string) => emails.find((row) => row.id === id)!.email;
    const stranger = uniqueName("nobody").email;

    for (const email of [emailOf(unverified.id), emailOf(verified.id), stranger]) await expect(resendVerification(email, TEST_CONTEXT)).resolves.toBeUndefined();
    await drainMail();
    const verifyMails = (to: string) => smtp.mails.filter((mail) => mail.to === to && /Confirm your email/i.test(mail.subject));
    expect(verifyMails(emailOf(unverified.id))).toHaveLength(1);
    expect(verifyMails(emailOf(verified.id))).toHaveLength(0);
    expect(verifyMails(stranger)).toHaveLength(0);
    expect(await database.prisma.emailToken.count({ where: { userId: unverified.id, purpose: "VERIFY_EMAIL" } })).toBe(1);
    expect(await database.prisma.emailToken.count({ where: { userId: verified.id } })).toBe(0);

    // A second request replaces the first link rather than adding one.
    await resendVerification(emailOf(unverified.id), TEST_CONTEXT);
    await drainMail();
    expect(verifyMails(emailOf(unverified.id))).toHaveLength(2);
    expect(await database.prisma.emailToken.count({ where: { userId: unverified.id, purpose: "VERIFY_EMAIL", usedAt: null } })).toBe(1);

    // The mail limit applies to it as to every mail.
    setEnv({ RATE_LIMIT_MAILS_PER_ADDRESS: "2/1h" });
    await expect(resendVerification(emailOf(unverified.id), TEST_CONTEXT)).rejects.toMatchObject({ status: 429 });
    setEnv({ SMTP_URL: undefined, RATE_LIMIT_MAILS_PER_ADDRESS: undefined, RATE_LIMIT_MAILS_PER_IP: undefined });
  });
});

describe("an account with no password (signed up through a provider)", () => {
  it("can't sign in with any password: the same 401 as a wrong one", async () => {
    const [federated, withPassword] = await createUsersDirectly(2, "fedonly");
    await database.prisma.user.update({ where: { id: federated.id }, data: { passwordHash: null } });
    await database.prisma.account.create({ data: { userId: federated.id, type: "oidc", provider: "oidc", providerAccountId: `idp-${federated.id}` } });
    const tryPassword = async (identifier: string, password: string) => {
      const response = await token(request("/api/v1/auth/token", { method: "POST", json: { identifier, password } }), noContext);
      return `${response.status} ${await response.text()}`;
    };
    const wrong = await tryPassword(withPassword.username, "not the password at all");
    expect(wrong).toMatch(/^401 /);
    for (const password of [PASSWORD, "null", "undefined"]) expect(await tryPassword(federated.username, password)).toBe(wrong);
    expect(await database.prisma.session.count({ where: { userId: federated.id } })).toBe(0);
  });
});

describe("the sweepers", () => {
  it("remove expired rows of every kind and keep the live ones", async () => {
    const [owner] = await createUsersDirectly(1, "swept");
    const userId = owner.id;
    const rows = {
      session: [await createSession(userId, "ACCESS_TOKEN", TEST_CONTEXT), await createSession(userId, "ACCESS_TOKEN", TEST_CONTEXT)],
    };
    await database.prisma.session.update({ where: { id: rows.session[0] }, data: { expires: past() } });
    const make = async (expiresAt: Date, tag: string) => {
      await database.prisma.emailToken.create({ data: { userId, purpose: "RESET_PASSWORD", tokenHash: `sweep-${tag}`, email: "x@example.com", expiresAt } });
      await database.prisma.mfaChallenge.create({ data: { userId, tokenHash: `sweep-${tag}`, expiresAt } });
      await database.prisma.webAuthnChallenge.create({ data: { challenge: `sweep-${tag}`, userId, purpose: "authentication", expiresAt } });
      await database.prisma.linkIntent.create({ data: { tokenHash: `sweep-${tag}`, userId, sessionId: rows.session[1], provider: "oidc", expiresAt } });
      await database.prisma.rateLimit.create({ data: { key: `sweep:${tag}`, hits: [1n], expiresAt } });
    };
    await make(past(), "old");
    await make(future(), "live");
    // A back-off row for an unknown identifier, untouched for longer than it is kept, and a fresh one.
    const longAgo = new Date(Date.now() - 31 * 24 * 3600 * 1000);
    await database.prisma.loginThrottle.createMany({
      data: [
        { key: "identifier:sweep-old", failures: 3, blockedUntil: null, updatedAt: longAgo },
        { key: "identifier:sweep-live", failures: 3, blockedUntil: null, updatedAt: new Date() },
      ],
    });

    await sweepExpiredRows();

    const left = {
      sessions: (await database.prisma.session.findMany({ where: { userId }, select: { id: true } })).map((row) => row.id),
      emailTokens: (await database.prisma.emailToken.findMany({ where: { tokenHash: { startsWith: "sweep-" } } })).map((row) => row.tokenHash),
      mfa: (await database.prisma.mfaChallenge.findMany({ where: { tokenHash: { startsWith: "sweep-" } } })).map((row) => row.tokenHash),
      webAuthn: (await database.prisma.webAuthnChallenge.findMany({ where: { challenge: { startsWith: "sweep-" } } })).map((row) => row.challenge),
      intents: (await database.prisma.linkIntent.findMany({ where: { tokenHash: { startsWith: "sweep-" } } })).map((row) => row.tokenHash),
      rateLimits: (await database.prisma.rateLimit.findMany({ where: { key: { startsWith: "sweep:" } } })).map((row) => row.key),
      throttles: (await database.prisma.loginThrottle.findMany({ where: { key: { startsWith: "identifier:sweep-" } } })).map((row) => row.key),
    };
    expect(left).toEqual({
      sessions: [rows.session[1]],
      emailTokens: ["sweep-live"],
      mfa: ["sweep-live"],
      webAuthn: ["sweep-live"],
      intents: ["sweep-live"],
      rateLimits: ["sweep:live"],
      throttles: ["identifier:sweep-live"],
    });
  });
});
