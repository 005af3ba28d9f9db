import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { deleteOwnAccount } from "@/lib/services/accounts";
import { MAX_KNOWN_DEVICES, newDeviceToken, recognizeSignInDevice } from "@/lib/services/known-devices";
import { issueTokenForCredentials } from "@/lib/services/tokens";
import { signInThroughAuthJs } from "../support/auth-js";
import { ORIGIN, TEST_CONTEXT, createUserWithToken, setEnv } from "../support/http";
import { databaseAndSmtpForFile } from "../support/mail-bed";
import { forgetBrowserCookies } from "../support/next-mocks";

const bed = databaseAndSmtpForFile();
beforeEach(() => setEnv({ SMTP_URL: bed.smtp.url, AUTH_NOTIFY_NEW_DEVICE: undefined }));
afterAll(() => setEnv({ SMTP_URL: undefined, AUTH_NOTIFY_NEW_DEVICE: undefined }));

const FIREFOX = { ...TEST_CONTEXT, ip: "203.0.113.9", userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0" };
const newSignInMails = (to: string) => db().outboxMail.findMany({ where: { recipient: to, kind: "new_sign_in" } });

describe("a sign-in from a browser the account has not used", () => {
  it("mails the owner once per new browser, never for the account's first browser or one it knows", async () => {
    const { user } = await createUserWithToken("devices");
    const first = await recognizeSignInDevice(user.id, undefined, TEST_CONTEXT);
    expect(first.notified).toBe(false);
    expect(await recognizeSignInDevice(user.id, first.token, TEST_CONTEXT)).toEqual({ token: first.token, notified: false });
    expect(await newSignInMails(user.email)).toHaveLength(0);

    const second = await recognizeSignInDevice(user.id, undefined, FIREFOX);
    expect(second).toEqual({ token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), notified: true });
    expect(second.token).not.toBe(first.token);
    expect(await newSignInMails(user.email)).toHaveLength(1);
    // Not twice for one browser.
    expect((await recognizeSignInDevice(user.id, second.token, FIREFOX)).notified).toBe(false);
    expect(await newSignInMails(user.email)).toHaveLength(1);
    // Only hashes are stored.
    const stored = await db().knownDevice.findMany({ where: { userId: user.id } });
    expect(stored).toHaveLength(2);
    expect(JSON.stringify(stored)).not.toContain(first.token);
    expect(JSON.stringify(stored)).not.toContain(second.token);
  });

  it("says which browser, from where and when, and links to the session list", async () => {
    const { user } = await createUserWithToken("devicemail");
    await recognizeSignInDevice(user.id, undefined, TEST_CONTEXT);
    await recognizeSignInDevice(user.id, undefined, FIREFOX);
    const mail = await bed.smtp.waitForMail(user.email, /New sign-in to your account/);
    expect(mail.text).toContain("Device: Firefox on Linux");
    expect(mail.text).toContain("Address: 203.0.113.9");
    expect(mail.text).toMatch(/Time: \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    expect(mail.text).toContain("/account#sessions");
  });

  it("a browser's one cookie serves every account signing in from it; a forged one is replaced", async () => {
    const alice = await createUserWithToken("devshared");
    const bob = await createUserWithToken("devshared");
    const browser = await recognizeSignInDevice(alice.user.id, undefined, TEST_CONTEXT);
    expect((await recognizeSignInDevice(bob.user.id, browser.token, TEST_CONTEXT)).token).toBe(browser.token);
    expect((await recognizeSignInDevice(alice.user.id, "not a token", TEST_CONTEXT)).token).not.toBe("not a token");
  });

  it("AUTH_NOTIFY_NEW_DEVICE=0 remembers the browser and mails nothing", async () => {
    setEnv({ AUTH_NOTIFY_NEW_DEVICE: "0" });
    const { user } = await createUserWithToken("devquiet");
    await recognizeSignInDevice(user.id, undefined, TEST_CONTEXT);
    expect((await recognizeSignInDevice(user.id, undefined, FIREFOX)).notified).toBe(false);
    expect(await newSignInMails(user.email)).toHaveLength(0);
    expect(await db().knownDevice.count({ where: { userId: user.id } })).toBe(2);
  });

  it("keeps at most MAX_KNOWN_DEVICES per account, forgetting the one unseen longest, and goes with the account", async () => {
    const { user, password } = await createUserWithToken("devmany");
    const oldest = newDeviceToken();
    await recognizeSignInDevice(user.id, oldest, TEST_CONTEXT);
    await db().knownDevice.updateMany({ where: { userId: user.id }, data: { lastSeenAt: new Date(Date.now() - 86_400_000) } });
    for (let index = 1; index < MAX_KNOWN_DEVICES; index += 1) await recognizeSignInDevice(user.id, newDeviceToken(), TEST_CONTEXT);
    expect(await db().knownDevice.count({ where: { userId: user.id } })).toBe(MAX_KNOWN_DEVICES);
    await recognizeSignInDevice(user.id, newDeviceToken(), TEST_CONTEXT);
    expect(await db().knownDevice.count({ where: { userId: user.id } })).toBe(MAX_KNOWN_DEVICES);
    expect((await recognizeSignInDevice(user.id, oldest, TEST_CONTEXT)).notified).toBe(true);

    await deleteOwnAccount(user.id, password, TEST_CONTEXT);
    expect(await db().knownDevice.count({ where: { userId: user.id } })).toBe(0);
  });

  it("through Auth.js: a browser sign-in from a new browser mails, the same browser again doesn't, an API token never does", async () => {
    const { user, password } = await createUserWithToken("devauthjs");
    forgetBrowserCookies();
    expect((await signInThroughAuthJs(ORIGIN, user.username, password)).sessionCookie).toBeDefined();
    expect(await newSignInMails(user.email)).toHaveLength(0);
    forgetBrowserCookies();
    await signInThroughAuthJs(ORIGIN, user.username, password);
    expect(await newSignInMails(user.email)).toHaveLength(1);
    await signInThroughAuthJs(ORIGIN, user.username, password);
    expect(await newSignInMails(user.email)).toHaveLength(1);
    await issueTokenForCredentials(user.username, password, FIREFOX);
    expect(await newSignInMails(user.email)).toHaveLength(1);
  });
});
