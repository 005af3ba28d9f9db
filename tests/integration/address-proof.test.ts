import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as createApiKeyRoute } from "@/app/api/v1/api-keys/route";
import { POST as verifyEmail } from "@/app/api/v1/auth/email/verify/route";
import { POST as forgot } from "@/app/api/v1/auth/password/forgot/route";
import { POST as reset } from "@/app/api/v1/auth/password/reset/route";
import { POST as signup } from "@/app/api/v1/auth/signup/route";
import { POST as tokenRoute } from "@/app/api/v1/auth/token/route";
import { GET as me } from "@/app/api/v1/me/route";
import { drainMail } from "@/lib/services/mail-queue";
import { confirmEmailToken } from "@/lib/services/email-flows";
import { proveAddressByProvider } from "@/lib/services/federation";
import { createMfaChallenge } from "@/lib/services/two-factor";
import { createSession } from "@/lib/services/sessions";
import { freshDatabase, type TestDatabase } from "../support/database";
import { PASSWORD, TEST_CONTEXT, noContext, request, setEnv, uniqueName } from "../support/http";
import { startSmtpServer, tokenFrom, type TestSmtpServer } from "../support/smtp";

const VICTIMS_PASSWORD = "the real owner's own passphrase";

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
  setEnv({ SMTP_URL: smtp.url, AUTH_URL: "https://latchkey.example", AUTH_REQUIRE_EMAIL_VERIFICATION: undefined, RATE_LIMIT_MAILS_PER_IP: "1000/1h" });
});

const post = (route: (request: Request, context: never) => Promise<Response>, path: string, json: unknown, token?: string) =>
  route(request(path, { method: "POST", json, token }), noContext);
const meStatus = async (bearer: string) => (await me(request("/api/v1/me", { token: bearer }), noContext)).status;

/**
 * A squatter signs up with the victim's address (verification is optional) and leaves every kind of way in behind:
 * an access token, an API key, a passkey, a linked provider, 2FA with recovery codes, a pending 2FA step, and a
 * pending change of address to one of their own.
 */
async function squatAccount(prefix: string) {
  const names = uniqueName(prefix);
  expect((await post(signup, "/api/v1/auth/signup", { ...names, password: PASSWORD })).status).toBe(201);
  const userId = (await database.prisma.user.findUniqueOrThrow({ where: { email: names.email } })).id;
  const accessToken = (await (await post(tokenRoute, "/api/v1/auth/token", { identifier: names.username, password: PASSWORD })).json()).access_token as string;
  const created = await post(createApiKeyRoute, "/api/v1/api-keys", { name: "squatter's key" }, accessToken);
  expect(created.status).toBe(201);
  const apiKey = (await created.json()).key as string;
  const browserSession = await createSession(userId, "BROWSER", TEST_CONTEXT);
  await database.prisma.authenticator.create({
    data: { credentialID: `cred-${userId}`, userId, providerAccountId: userId, credentialPublicKey: "AA", counter: 0, credentialDeviceType: "singleDevice", credentialBackedUp: false, name: "Squatter's passkey" },
  });
  await database.prisma.account.create({ data: { userId, type: "oidc", provider: "oidc", providerAccountId: `squatter-${userId}` } });
  await database.prisma.user.update({ where: { id: userId }, data: { totpSecret: "JBSWY3DPEHPK3PXP", totpEnabledAt: new Date() } });
  await database.prisma.recoveryCode.createMany({ data: [1, 2].map((n) => ({ userId, codeHash: `${userId}-${n}` })) });
  await createMfaChallenge(userId);
  await database.prisma.emailToken.create({
    data: { userId, purpose: "CHANGE_EMAIL", email: `squatter.${userId}@attacker.example`, tokenHash: `change-${userId}`, expiresAt: new Date(Date.now() + 86_400_000) },
  });
  return { names, userId, accessToken, apiKey, browserSession };
}

async function expectEverythingGone(squat: Awaited<ReturnType<typeof squatAccount>>) {
  const { userId } = squat;
  expect(await meStatus(squat.apiKey)).toBe(401);
  expect(await meStatus(squat.accessToken)).toBe(401);
  expect(await database.prisma.session.count({ where: { userId } })).toBe(0);
  expect(await database.prisma.apiKey.count({ where: { userId } })).toBe(0);
  expect(await database.prisma.authenticator.count({ where: { userId } })).toBe(0);
  expect(await database.prisma.account.count({ where: { userId } })).toBe(0);
  expect(await database.prisma.recoveryCode.count({ where: { userId } })).toBe(0);
  expect(await database.prisma.mfaChallenge.count({ where: { userId } })).toBe(0);
  expect(await database.prisma.emailToken.count({ where: { userId, purpose: "CHANGE_EMAIL", usedAt: null } })).toBe(0);
  const user = await database.prisma.user.findUniqueOrThrow({ where: { id: userId } });
  expect(user).toMatchObject({ totpSecret: null, totpEnabledAt: null });
  expect(user.emailVerified).not.toBeNull();
  const [audit] = await database.prisma.auditEvent.findMany({ where: { targetId: userId, type: "email.first_proof" } });
  expect(audit?.detail).toMatchObject({
    removed: { sessions: 2, apiKeys: 1, passkeys: 1, linkedProviders: 1, twoFactor: 1, recoveryCodes: 2, mfaChallenges: 1 },
  });
  const mail = await smtp.waitForMail(squat.names.email, /older sign-in methods were removed/);
  for (const line of ["2 signed-in sessions and access tokens", "1 API key", "1 passkey", "1 linked sign-in provider", "1 two-factor authentication setup", "2 recovery codes"]) {
    expect(mail.text).toContain(line);
    expect(mail.html).toContain(line);
  }
}

// Several bcrypt hashes per test, on a shared 2-core machine.
describe("account pre-hijacking: the first proof of the address removes everything from before it", { timeout: 180_000 }, () => {
  it("the owner resets the password through the mailed link: the squatter's key, token, sessions, passkey, link and 2FA are gone", async () => {
    const squat = await squatAccount("prehijack");
    expect(await meStatus(squat.apiKey)).toBe(200);

    expect((await post(forgot, "/api/v1/auth/password/forgot", { email: squat.names.email })).status).toBe(202);
    const mailed = tokenFrom(await smtp.waitForMail(squat.names.email, /Reset your password/), "/reset-password");
    expect((await post(reset, "/api/v1/auth/password/reset", { token: mailed, password: VICTIMS_PASSWORD })).status).toBe(204);

    await expectEverythingGone(squat);
    const owner = await post(tokenRoute, "/api/v1/auth/token", { identifier: squat.names.email, password: VICTIMS_PASSWORD });
    expect(owner.status).toBe(200);
  });

  it("the owner opens the verification link sent at the squatter's signup: the same removal", async () => {
    const squat = await squatAccount("preverify");
    const mailed = tokenFrom(await smtp.waitForMail(squat.names.email, /Confirm your email/), "/verify-email");
    expect((await post(verifyEmail, "/api/v1/auth/email/verify", { token: mailed })).status).toBe(204);
    await expectEverythingGone(squat);
  });

  it("a browser signed in to the account that opens the verification link keeps its own session, and only that", async () => {
    const squat = await squatAccount("keepsession");
    const mailed = tokenFrom(await smtp.waitForMail(squat.names.email, /Confirm your email/), "/verify-email");
    await confirmEmailToken(mailed, TEST_CONTEXT, { keepSessionId: squat.browserSession });
    expect(await database.prisma.session.findMany({ where: { userId: squat.userId }, select: { id: true } })).toEqual([{ id: squat.browserSession }]);
    expect(await meStatus(squat.apiKey)).toBe(401);
    expect(await meStatus(squat.accessToken)).toBe(401);
  });

  it("a confirmation by the owner signed in to the account settles it: a later reset keeps the owner's key", async () => {
    const squat = await squatAccount("confirmed");
    const verification = tokenFrom(await smtp.waitForMail(squat.names.email, /Confirm your email/), "/verify-email");
    await confirmEmailToken(verification, TEST_CONTEXT, { keepSessionId: squat.browserSession });
    const accessToken = (await (await post(tokenRoute, "/api/v1/auth/token", { identifier: squat.names.username, password: PASSWORD })).json()).access_token;
    const ownKey = (await (await post(createApiKeyRoute, "/api/v1/api-keys", { name: "owner's key" }, accessToken)).json()).key as string;

    expect((await post(forgot, "/api/v1/auth/password/forgot", { email: squat.names.email })).status).toBe(202);
    const mailed = tokenFrom(await smtp.waitForMail(squat.names.email, /Reset your password/), "/reset-password");
    expect((await post(reset, "/api/v1/auth/password/reset", { token: mailed, password: VICTIMS_PASSWORD })).status).toBe(204);
    expect(await meStatus(ownKey)).toBe(200);
    expect(await database.prisma.auditEvent.count({ where: { targetId: squat.userId, type: "email.first_proof" } })).toBe(1);
  });

  it("a squatter who signs in again after the owner confirmed the address loses it all at the owner's reset", async () => {
    const squat = await squatAccount("comeback");
    // The owner clicks the link the squatter's signup sent them, in a browser that isn't signed in.
    const verification = tokenFrom(await smtp.waitForMail(squat.names.email, /Confirm your email/), "/verify-email");
    expect((await post(verifyEmail, "/api/v1/auth/email/verify", { token: verification })).status).toBe(204);
    // The password survived that proof, so the squatter signs in again and plants a new key on the confirmed account.
    const comeback = await post(tokenRoute, "/api/v1/auth/token", { identifier: squat.names.username, password: PASSWORD });
    expect(comeback.status).toBe(200);
    const squatterToken = (await comeback.json()).access_token as string;
    const planted = await post(createApiKeyRoute, "/api/v1/api-keys", { name: "second backdoor" }, squatterToken);
    expect(planted.status).toBe(201);
    const plantedKey = (await planted.json()).key as string;
    expect(await meStatus(plantedKey)).toBe(200);

    // The owner takes the account back with a reset link: the reset settles the password, and removes it all again.
    expect((await post(forgot, "/api/v1/auth/password/forgot", { email: squat.names.email })).status).toBe(202);
    const mailed = tokenFrom(await smtp.waitForMail(squat.names.email, /Reset your password/), "/reset-password");
    expect((await post(reset, "/api/v1/auth/password/reset", { token: mailed, password: VICTIMS_PASSWORD })).status).toBe(204);
    expect(await meStatus(plantedKey)).toBe(401);
    expect(await meStatus(squatterToken)).toBe(401);
    expect((await post(tokenRoute, "/api/v1/auth/token", { identifier: squat.names.username, password: PASSWORD })).status).toBe(401);
    const proofs = await database.prisma.auditEvent.findMany({ where: { targetId: squat.userId, type: "email.first_proof" }, orderBy: { createdAt: "asc" } });
    expect(proofs.map((event) => event.detail)).toMatchObject([{ proof: "verification_link" }, { proof: "reset_link", passwordTakenBack: true, removed: { apiKeys: 1 } }]);

    // Settled now: a key the owner makes afterwards survives the owner's next reset.
    const ownerToken = (await (await post(tokenRoute, "/api/v1/auth/token", { identifier: squat.names.username, password: VICTIMS_PASSWORD })).json()).access_token;
    const ownKey = (await (await post(createApiKeyRoute, "/api/v1/api-keys", { name: "owner's key" }, ownerToken)).json()).key as string;
    expect((await post(forgot, "/api/v1/auth/password/forgot", { email: squat.names.email })).status).toBe(202);
    let again = mailed;
    // The second reset mail, not the first one again (mail goes out after the answer).
    while (again === mailed) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      again = tokenFrom(await smtp.waitForMail(squat.names.email, /Reset your password/), "/reset-password");
    }
    expect((await post(reset, "/api/v1/auth/password/reset", { token: again, password: `${VICTIMS_PASSWORD} too` })).status).toBe(204);
    expect(await meStatus(ownKey)).toBe(200);
  });

  it("an identity provider vouching for the address proves it too, and keeps its own link and the session it signs in", async () => {
    const squat = await squatAccount("preprovider");
    const kept = await createSession(squat.userId, "BROWSER", TEST_CONTEXT);
    await database.prisma.account.create({ data: { userId: squat.userId, type: "oidc", provider: "github", providerAccountId: `owner-${squat.userId}` } });
    await proveAddressByProvider(squat.userId, squat.names.email.toUpperCase(), "github", kept, TEST_CONTEXT);
    expect(await meStatus(squat.apiKey)).toBe(401);
    expect(await database.prisma.account.findMany({ where: { userId: squat.userId }, select: { provider: true } })).toEqual([{ provider: "github" }]);
    expect(await database.prisma.session.findMany({ where: { userId: squat.userId }, select: { id: true } })).toEqual([{ id: kept }]);
    expect(await database.prisma.authenticator.count({ where: { userId: squat.userId } })).toBe(0);
  });

  it("a provider vouching for another address proves nothing and removes nothing", async () => {
    const squat = await squatAccount("otheraddress");
    await proveAddressByProvider(squat.userId, "someone.else@example.com", "oidc", undefined, TEST_CONTEXT);
    expect(await meStatus(squat.apiKey)).toBe(200);
    expect((await database.prisma.user.findUniqueOrThrow({ where: { id: squat.userId } })).emailVerified).toBeNull();
  });
});
