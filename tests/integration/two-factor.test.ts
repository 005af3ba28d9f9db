import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as tokenRoute } from "@/app/api/v1/auth/token/route";
import { GET as me } from "@/app/api/v1/me/route";
import { totpCode, totpStep } from "@/lib/crypto/totp";
import { drainMail } from "@/lib/services/mail-queue";
import { listAuditEvents } from "@/lib/services/audit";
import {
  completeMfaChallenge,
  confirmTwoFactorEnrollment,
  createMfaChallenge,
  disableTwoFactor,
  regenerateRecoveryCodes,
  resetTwoFactorByAdmin,
  startTwoFactorEnrollment,
  twoFactorStatus,
} from "@/lib/services/two-factor";
import { freshDatabase, type TestDatabase } from "../support/database";
import { PASSWORD, TEST_CONTEXT, createAdminWithToken, createUserWithToken, noContext, request } from "../support/http";

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await drainMail();
  await database.dispose();
});

const STEP_MS = 30_000;
const codeAt = (secret: string, offsetSteps = 0) => totpCode(secret, totpStep(Date.now() + offsetSteps * STEP_MS));

/** A user with 2FA on: the secret (as their app has it) and the recovery codes they saw once. */
async function userWithTwoFactor(prefix: string) {
  const { user, token } = await createUserWithToken(prefix);
  const { secret } = await startTwoFactorEnrollment(user.id);
  const recoveryCodes = await confirmTwoFactorEnrollment(user.id, codeAt(secret, -1), TEST_CONTEXT);
  return { user, token, secret, recoveryCodes };
}

const requestToken = async (body: Record<string, unknown>) => {
  const response = await tokenRoute(request("/api/v1/auth/token", { method: "POST", json: body }), noContext);
  return { status: response.status, body: await response.json(), retryAfter: response.headers.get("retry-after") };
};

describe("two-factor authentication (TOTP)", () => {
  it("is on only after a code from the new secret is confirmed; recovery codes are stored as hashes only", async () => {
    const { user } = await createUserWithToken("enrol");
    const { secret, otpauthUrl, qrSvg } = await startTwoFactorEnrollment(user.id);
    expect(otpauthUrl).toContain(`secret=${secret}`);
    expect(qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(await twoFactorStatus(user.id, { revealPending: true })).toMatchObject({ enabled: false, pending: { secret } });
    // The half-finished key is shown only in sudo mode: whoever reads it holds the factor once its owner confirms.
    expect(await twoFactorStatus(user.id, { revealPending: false })).toMatchObject({ enabled: false, pending: null });
    // Not yet a factor: the password alone still signs in.
    expect((await requestToken({ identifier: user.username, password: PASSWORD })).status).toBe(200);

    await expect(confirmTwoFactorEnrollment(user.id, "000000", TEST_CONTEXT)).rejects.toMatchObject({ status: 400 });
    const codes = await confirmTwoFactorEnrollment(user.id, codeAt(secret), TEST_CONTEXT);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const status = await twoFactorStatus(user.id, { revealPending: true });
    expect(status).toMatchObject({ enabled: true, recoveryCodesLeft: 10, pending: null });
    const stored = JSON.stringify(await database.prisma.recoveryCode.findMany({ where: { userId: user.id } }));
    for (const code of codes) expect(stored).not.toContain(code.replace(/-/g, ""));
    await expect(startTwoFactorEnrollment(user.id)).rejects.toMatchObject({ status: 409 });
    expect((await listAuditEvents({ user: user.id, type: "mfa.enable" }, 1, 10)).total).toBe(1);
  });

  it("the token API wants the code after a right password: mfa_required without it, and never the same code twice", async () => {
    const { user, secret } = await userWithTwoFactor("apimfa");
    const wrongPassword = await requestToken({ identifier: user.username, password: "not the password at all, no" });
    expect(wrongPassword).toMatchObject({ status: 401, body: { error: { code: "invalid_credentials" } } });
    const noCode = await requestToken({ identifier: user.username, password: PASSWORD });
    expect(noCode).toMatchObject({ status: 401, body: { error: { code: "mfa_required" } } });

    const code = codeAt(secret, 1);
    const signedIn = await requestToken({ identifier: user.username, password: PASSWORD, otp: code });
    expect(signedIn.status).toBe(200);
    expect((await me(request("/api/v1/me", { token: signedIn.body.access_token }), noContext)).status).toBe(200);
    const replayed = await requestToken({ identifier: user.username, password: PASSWORD, otp: code });
    expect(replayed).toMatchObject({ status: 401, body: { error: { code: "invalid_credentials" } } });
    // An older code, still inside the drift window, is refused too once a later one was used.
    expect((await requestToken({ identifier: user.username, password: PASSWORD, otp: codeAt(secret, 0) })).status).toBe(401);
  });

  it("a recovery code works once, however it is typed", async () => {
    const { user, recoveryCodes } = await userWithTwoFactor("recovery");
    const typed = recoveryCodes[3].toUpperCase().replace(/-/g, " ");
    expect((await requestToken({ identifier: user.email, password: PASSWORD, otp: typed })).status).toBe(200);
    expect((await requestToken({ identifier: user.email, password: PASSWORD, otp: recoveryCodes[3] })).status).toBe(401);
    expect((await twoFactorStatus(user.id, { revealPending: true })).recoveryCodesLeft).toBe(9);
    const events = await listAuditEvents({ user: user.id, type: "login.success" }, 1, 10);
    expect(events.events.some((event) => event.detail?.factor === "recovery_code")).toBe(true);
  });

  it("wrong codes count toward the account's back-off, and a right password doesn't wipe the count", async () => {
    const { user, secret } = await userWithTwoFactor("guess");
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      statuses.push((await requestToken({ identifier: user.username, password: PASSWORD, otp: "000000" })).status);
    }
    // Each try counts the password step and the code: the fourth is already refused.
    expect(statuses).toEqual([401, 401, 429, 429, 429, 429]);
    const blocked = await requestToken({ identifier: user.username, password: PASSWORD, otp: codeAt(secret) });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.retryAfter)).toBeGreaterThan(0);
  });

  it("the sign-in challenge is bound to one user, works once and expires after 5 minutes", async () => {
    const { user, secret } = await userWithTwoFactor("challenge");
    const token = await createMfaChallenge(user.id);
    const wrong = await completeMfaChallenge(token, "000000", TEST_CONTEXT);
    expect(wrong).toEqual({ ok: false, error: "invalid_code" });
    const done = await completeMfaChallenge(token, codeAt(secret, 1), TEST_CONTEXT);
    expect(done).toMatchObject({ ok: true, user: { id: user.id, username: user.username } });
    expect(await completeMfaChallenge(token, codeAt(secret, 1), TEST_CONTEXT)).toEqual({ ok: false, error: "challenge_expired" });
    expect(await completeMfaChallenge("made-up-token", codeAt(secret), TEST_CONTEXT)).toEqual({ ok: false, error: "challenge_expired" });

    const stale = await createMfaChallenge(user.id);
    await database.prisma.mfaChallenge.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await completeMfaChallenge(stale, codeAt(secret, 1), TEST_CONTEXT)).toEqual({ ok: false, error: "challenge_expired" });
    expect(JSON.stringify(await database.prisma.mfaChallenge.findMany())).not.toContain(stale);
  });

  it("new recovery codes and turning it off both need the password and a code", async () => {
    const { user, secret, recoveryCodes } = await userWithTwoFactor("manage");
    await expect(regenerateRecoveryCodes(user.id, "the wrong password, clearly", codeAt(secret, 1), TEST_CONTEXT)).rejects.toMatchObject({
      status: 401,
      code: "invalid_credentials",
      fields: { password: expect.any(Array) },
    });
    const fresh = await regenerateRecoveryCodes(user.id, PASSWORD, recoveryCodes[0], TEST_CONTEXT);
    expect(fresh.some((code) => recoveryCodes.includes(code))).toBe(false);
    await expect(disableTwoFactor(user.id, PASSWORD, recoveryCodes[1], TEST_CONTEXT)).rejects.toMatchObject({ status: 401, code: "invalid_credentials", fields: { code: expect.any(Array) } });
    await disableTwoFactor(user.id, PASSWORD, fresh[0], TEST_CONTEXT);
    expect(await twoFactorStatus(user.id, { revealPending: true })).toEqual({ enabled: false, recoveryCodesLeft: 0, pending: null });
    expect((await requestToken({ identifier: user.username, password: PASSWORD })).status).toBe(200);
    expect((await listAuditEvents({ user: user.id, type: "mfa.disable" }, 1, 10)).total).toBe(1);
  });

  it("an admin reset turns it off, ends the user's sessions and is audited with the admin as actor", async () => {
    const { user, token } = await userWithTwoFactor("adminreset");
    const { user: admin } = await createAdminWithToken("resetter");
    await resetTwoFactorByAdmin(admin.id, user.id, TEST_CONTEXT);
    expect((await twoFactorStatus(user.id, { revealPending: true })).enabled).toBe(false);
    expect((await me(request("/api/v1/me", { token }), noContext)).status).toBe(401);
    const { events } = await listAuditEvents({ user: user.id, type: "mfa.reset" }, 1, 10);
    expect(events[0]).toMatchObject({ actor: { id: admin.id }, target: { id: user.id } });
  });
});
