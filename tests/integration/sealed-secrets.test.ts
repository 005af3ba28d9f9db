import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { POST as tokenRoute } from "@/app/api/v1/auth/token/route";
import { GET as me } from "@/app/api/v1/me/route";
import { totpCode, totpStep } from "@/lib/crypto/totp";
import { openTotpSecret } from "@/lib/crypto/totp-secret";
import { SecretBoxError, isSealed, keyRing, sealedKeyId } from "@/lib/crypto/secret-box";
import { resetEnvCache } from "@/lib/env";
import { drainMail } from "@/lib/services/mail-queue";
import { reencryptSecrets, sealPlaintextSecrets } from "@/lib/services/sealed-secrets";
import { confirmTwoFactorEnrollment, startTwoFactorEnrollment, twoFactorStatus } from "@/lib/services/two-factor";
import { freshDatabase, type TestDatabase } from "../support/database";
import { PASSWORD, TEST_CONTEXT, createUserWithToken, noContext, request } from "../support/http";

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
// Each case counts the secrets it finds, so each starts with none.
beforeEach(async () => {
  await database.prisma.user.updateMany({ data: { totpSecret: null, totpEnabledAt: null, totpLastStep: null } });
});
afterEach(() => {
  vi.unstubAllEnvs();
  resetEnvCache();
});
afterAll(async () => {
  await drainMail();
  await database.dispose();
});

const codeAt = (secret: string, offsetSteps = 0) => totpCode(secret, totpStep(Date.now() + offsetSteps * 30_000));
const newKey = () => randomBytes(32).toString("base64");

function useKeys(...keys: string[]): string {
  vi.stubEnv("AUTH_ENCRYPTION_KEY", keys.join(","));
  resetEnvCache();
  return keyRing().sealing.id;
}

async function storedSecret(userId: string): Promise<string> {
  const { totpSecret } = await database.prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { totpSecret: true } });
  return totpSecret!;
}

async function userWithTwoFactor(prefix: string) {
  const { user, token } = await createUserWithToken(prefix);
  const { secret } = await startTwoFactorEnrollment(user.id);
  await confirmTwoFactorEnrollment(user.id, codeAt(secret, -1), TEST_CONTEXT);
  return { user, token, secret };
}

async function signInWithCode(identifier: string, otp: string): Promise<number> {
  const response = await tokenRoute(request("/api/v1/auth/token", { method: "POST", json: { identifier, password: PASSWORD, otp } }), noContext);
  return response.status;
}

describe("TOTP secrets at rest", () => {
  it("the database never holds the base32 key: from enrolment on it is sealed with the first key, and no response carries it", async () => {
    const { user, token } = await createUserWithToken("sealed");
    const { secret } = await startTwoFactorEnrollment(user.id);
    const pending = await storedSecret(user.id);
    expect(pending).not.toContain(secret);
    expect(isSealed(pending)).toBe(true);
    expect(sealedKeyId(pending)).toBe(keyRing().sealing.id);
    // Its owner still sees the key to scan while setting up.
    expect((await twoFactorStatus(user.id, { revealPending: true })).pending?.secret).toBe(secret);

    await confirmTwoFactorEnrollment(user.id, codeAt(secret, -1), TEST_CONTEXT);
    const row = JSON.stringify(await database.prisma.user.findUniqueOrThrow({ where: { id: user.id } }));
    expect(row).not.toContain(secret);
    expect(isSealed(await storedSecret(user.id))).toBe(true);
    const profile = await (await me(request("/api/v1/me", { token }), noContext)).text();
    expect(profile).not.toContain(await storedSecret(user.id));
    expect(profile).not.toMatch(/totp/i);
    expect(await signInWithCode(user.username, codeAt(secret))).toBe(200);
  });

  it("still verify after the keys rotate and keys:reencrypt moves every secret to the new first key", async () => {
    const [oldKey, newerKey] = [newKey(), newKey()];
    const oldKeyId = useKeys(oldKey);
    const { user, secret } = await userWithTwoFactor("rotate");
    expect(sealedKeyId(await storedSecret(user.id))).toBe(oldKeyId);

    const newKeyId = useKeys(newerKey, oldKey);
    expect(await signInWithCode(user.username, codeAt(secret, 0))).toBe(200);
    expect(sealedKeyId(await storedSecret(user.id))).toBe(oldKeyId);

    const [report] = await reencryptSecrets();
    expect(report).toEqual({ column: "TOTP secrets", resealed: 1, sealedFromPlaintext: 0, current: 0, unreadable: 0 });
    const moved = await storedSecret(user.id);
    expect(sealedKeyId(moved)).toBe(newKeyId);
    expect((await reencryptSecrets())[0]).toEqual({ ...report, resealed: 0, current: 1 });

    useKeys(newerKey);
    expect(await signInWithCode(user.username, codeAt(secret, 1))).toBe(200);
    useKeys(oldKey);
    expect(() => openTotpSecret(moved)).toThrow(SecretBoxError);
  });

  it("plain base32 from before sealing still verifies, is sealed once at start-up, and by keys:reencrypt", async () => {
    const { user, secret } = await userWithTwoFactor("legacy");
    await database.prisma.user.update({ where: { id: user.id }, data: { totpSecret: secret } });
    expect(await signInWithCode(user.username, codeAt(secret, 0))).toBe(200);

    expect(await sealPlaintextSecrets()).toBe(1);
    const sealed = await storedSecret(user.id);
    expect(sealed).not.toContain(secret);
    expect(isSealed(sealed)).toBe(true);
    expect(await sealPlaintextSecrets()).toBe(0);
    expect(await storedSecret(user.id)).toBe(sealed);
    expect(await signInWithCode(user.username, codeAt(secret, 1))).toBe(200);

    await database.prisma.user.update({ where: { id: user.id }, data: { totpSecret: secret } });
    const [report] = await reencryptSecrets();
    expect(report).toMatchObject({ resealed: 0, sealedFromPlaintext: 1, unreadable: 0 });
    expect(await storedSecret(user.id)).not.toContain(secret);
  });

  it("a secret no key opens is reported and left as it is, while the others are still re-sealed", async () => {
    const readable = await userWithTwoFactor("readable");
    useKeys(newKey());
    const { user } = await userWithTwoFactor("lostkey");
    const unreadable = await storedSecret(user.id);

    const currentKeyId = useKeys(newKey());
    const [report] = await reencryptSecrets();
    expect(report).toMatchObject({ resealed: 1, unreadable: 1 });
    expect(await storedSecret(user.id)).toBe(unreadable);
    expect(sealedKeyId(await storedSecret(readable.user.id))).toBe(currentKeyId);
    expect(await signInWithCode(readable.user.username, codeAt(readable.secret, 0))).toBe(200);
  });
});
