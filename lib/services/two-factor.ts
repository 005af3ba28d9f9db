import QRCode from "qrcode";
import { blockSelect, isBlocked } from "@/lib/services/suspension";
import {
  RECOVERY_CODE_COUNT,
  createChallengeToken,
  createRecoveryCode,
  createTotpSecret,
  hashChallengeToken,
  hashRecoveryCode,
  looksLikeRecoveryCode,
  matchTotpStep,
  otpauthUrl,
} from "@/lib/crypto/totp";
import { openTotpSecret, sealTotpSecret } from "@/lib/crypto/totp-secret";
import { db, writeTogether, type Transaction } from "@/lib/db/client";
import { sessionUserSelect, type SessionUser } from "@/lib/services/user-dto";
import { publicOrigin } from "@/lib/env";
import { brand } from "@/lib/env/branding";
import { ApiError } from "@/lib/errors";
import { mailTemplates, type MailMessage } from "@/lib/mail/templates";
import { claimLoginAttempt, userThrottleKey } from "@/lib/security/login-throttle";
import type { RequestContext } from "@/lib/security/request-context";
import { recordAudit, recordFailureAudit, recordRefusalAudit, type AuditDetail } from "./audit";
import { recordSuccessfulLogin } from "./login";
import { mailRecipient, queueMail, wakeMailWorker } from "./mail-queue";
import { assertReauthentication, currentPasswordFactor, type ReauthenticationFactor, type ReauthenticationPurpose } from "./reauthentication";
import { endUserSessions } from "./sessions";

/** The step between the password and the code: after this, the person starts again from the password. */
export const MFA_CHALLENGE_TTL_SECONDS = 5 * 60;

export const WRONG_CODE_MESSAGE = "That code didn't work. Enter the current code from your app, or a recovery code.";

export type TwoFactorEnrollment = { secret: string; otpauthUrl: string; qrSvg: string };
export type TwoFactorStatus = { enabled: boolean; recoveryCodesLeft: number; pending: TwoFactorEnrollment | null };

async function enrollmentFor(secret: string, accountName: string): Promise<TwoFactorEnrollment> {
  const url = otpauthUrl(secret, accountName, brand().name);
  const qrSvg = await QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 1 });
  return { secret, otpauthUrl: url, qrSvg };
}

/**
 * `revealPending`: whether a half-finished enrolment's key may be shown. Only in sudo mode: whoever reads the key
 * before its owner confirms it holds the account's second factor from then on.
 */
export async function twoFactorStatus(userId: string, { revealPending }: { revealPending: boolean }): Promise<TwoFactorStatus> {
  const user = await db().user.findUniqueOrThrow({
    where: { id: userId },
    select: { email: true, totpSecret: true, totpEnabledAt: true, _count: { select: { recoveryCodes: { where: { usedAt: null } } } } },
  });
  const pending =
    revealPending && user.totpSecret && !user.totpEnabledAt ? await enrollmentFor(openTotpSecret(user.totpSecret), user.email) : null;
  return { enabled: Boolean(user.totpEnabledAt), recoveryCodesLeft: user._count.recoveryCodes, pending };
}

/** A new secret, not yet a factor: it counts only once a code from it has been confirmed. */
export async function startTwoFactorEnrollment(userId: string): Promise<TwoFactorEnrollment> {
  const secret = createTotpSecret();
  const { count } = await db().user.updateMany({ where: { id: userId, totpEnabledAt: null }, data: { totpSecret: sealTotpSecret(secret) } });
  if (!count) throw ApiError.of("mfa_already_enabled");
  const { email } = await db().user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
  return enrollmentFor(secret, email);
}

/** Ten new single-use codes replace any old ones; only their hashes are stored, the codes are shown once. */
async function replaceRecoveryCodes(userId: string, tx?: Transaction): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, createRecoveryCode);
  const writes = (client: Transaction) => [
    client.recoveryCode.deleteMany({ where: { userId } }),
    client.recoveryCode.createMany({ data: codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code) })) }),
  ];
  await writeTogether(tx, writes);
  return codes;
}

const wrongCode = () => ApiError.validation({ code: [WRONG_CODE_MESSAGE] });

/** Turns the pending secret on after a code from it matches; returns the recovery codes to show once. */
export async function confirmTwoFactorEnrollment(userId: string, code: string, context: RequestContext): Promise<string[]> {
  const user = await db().user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, totpSecret: true, totpEnabledAt: true } });
  if (user.totpEnabledAt) throw ApiError.of("mfa_already_enabled");
  if (!user.totpSecret) throw ApiError.of("mfa_not_started");
  const step = matchTotpStep(openTotpSecret(user.totpSecret), code);
  if (step === null) throw wrongCode();
  // One transaction: 2FA is never on without its recovery codes, its audit event and the owner's notice.
  const codes = await db().$transaction(async (tx) => {
    const { count } = await tx.user.updateMany({
      where: { id: userId, totpSecret: user.totpSecret, totpEnabledAt: null },
      data: { totpEnabledAt: new Date(), totpLastStep: step },
    });
    if (!count) throw ApiError.of("mfa_already_enabled");
    const created = await replaceRecoveryCodes(userId, tx);
    await recordAudit({ type: "mfa.enable", actorId: userId, targetId: userId, context }, tx);
    await queueMail(tx, mailTemplates.twoFactorChanged(await mailRecipient(userId, user.email, tx), "enabled", `${publicOrigin()}/account`));
    return created;
  });
  wakeMailWorker();
  return codes;
}

/**
 * Consumes a second factor: a TOTP code from a step later than the last one accepted (so never the same code
 * twice), or an unused recovery code. Both are conditional updates, so two requests racing with one code can't
 * both win.
 */
export async function consumeSecondFactor(userId: string, code: string): Promise<AuditDetail["factor"] | null> {
  const user = await db().user.findUnique({ where: { id: userId }, select: { totpSecret: true, totpEnabledAt: true } });
  if (!user?.totpEnabledAt || !user.totpSecret) return null;
  if (looksLikeRecoveryCode(code)) {
    const { count } = await db().recoveryCode.updateMany({
      where: { userId, codeHash: hashRecoveryCode(code), usedAt: null },
      data: { usedAt: new Date() },
    });
    return count ? "recovery_code" : null;
  }
  const step = matchTotpStep(openTotpSecret(user.totpSecret), code);
  if (step === null) return null;
  const { count } = await db().user.updateMany({
    where: { id: userId, totpEnabledAt: { not: null }, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
    data: { totpLastStep: step },
  });
  return count ? "totp" : null;
}

export type SecondFactorOutcome =
  | { ok: true; user: SessionUser }
  | { ok: false; error: "invalid_code" }
  | { ok: false; error: "rate_limited"; retryAfterSeconds: number };

/**
 * The second step of a sign-in whose password was right. Each attempt is claimed against the account's back-off
 * first, exactly like a password attempt, so codes can't be guessed faster than passwords.
 */
export async function verifySecondFactor(userId: string, code: string, context: RequestContext, via: "form" | "api"): Promise<SecondFactorOutcome> {
  const throttleKey = userThrottleKey(userId);
  const attempt = await claimLoginAttempt(throttleKey);
  if (!attempt.allowed) {
    await recordRefusalAudit({ type: "login.throttled", targetId: userId, context, detail: { via, retryAfterSeconds: attempt.retryAfterSeconds } }, throttleKey);
    return { ok: false, error: "rate_limited", retryAfterSeconds: attempt.retryAfterSeconds };
  }
  const user = await db().user.findUnique({ where: { id: userId }, select: { ...sessionUserSelect, ...blockSelect } });
  const blocked = user ? isBlocked(user) : false;
  const factor = user && !blocked ? await consumeSecondFactor(userId, code) : null;
  if (!user || !factor) {
    await recordFailureAudit({ type: "login.failure", targetId: userId, context, detail: { via, reason: blocked ? "locked" : "wrong_code" } });
    return { ok: false, error: "invalid_code" };
  }
  await recordSuccessfulLogin(userId, context, { via, factor });
  const { lockedAt: _locked, suspendedUntil: _suspended, ...sessionUser } = user;
  return { ok: true, user: sessionUser };
}

/** Issued after a right password when a code is still needed; the browser keeps the token in a cookie. */
export async function createMfaChallenge(userId: string): Promise<string> {
  const { token, tokenHash } = createChallengeToken();
  await db().mfaChallenge.create({ data: { userId, tokenHash, expiresAt: new Date(Date.now() + MFA_CHALLENGE_TTL_SECONDS * 1000) } });
  return token;
}

export type ChallengeOutcome = SecondFactorOutcome | { ok: false; error: "challenge_expired" };

/** Completes a challenge with a code: usable once (deleted by the request that wins), for one user, 5 minutes. */
export async function completeMfaChallenge(token: string, code: string, context: RequestContext): Promise<ChallengeOutcome> {
  const tokenHash = hashChallengeToken(token);
  const challenge = await db().mfaChallenge.findUnique({ where: { tokenHash }, select: { userId: true, expiresAt: true } });
  if (!challenge || challenge.expiresAt.getTime() <= Date.now()) {
    if (challenge) await db().mfaChallenge.deleteMany({ where: { tokenHash } });
    return { ok: false, error: "challenge_expired" };
  }
  const outcome = await verifySecondFactor(challenge.userId, code, context, "form");
  if (!outcome.ok) return outcome;
  const { count } = await db().mfaChallenge.deleteMany({ where: { tokenHash } });
  return count ? outcome : { ok: false, error: "challenge_expired" };
}

export async function deleteExpiredMfaChallenges(): Promise<number> {
  const { count } = await db().mfaChallenge.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  return count;
}

/** A second factor asked again inside a session (a current code or a recovery code), on the form field `code`. */
export function currentCodeFactor(userId: string, code: string): ReauthenticationFactor {
  return { field: "code", message: WRONG_CODE_MESSAGE, reason: "wrong_code", check: async () => (await consumeSecondFactor(userId, code)) !== null };
}

/** Both under one throttled attempt: a right password alone must not reset the count of guesses at the code. */
async function assertPasswordAndCode(userId: string, password: string, code: string, context: RequestContext, purpose: ReauthenticationPurpose): Promise<string> {
  const user = await db().user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, totpEnabledAt: true } });
  if (!user.totpEnabledAt) throw ApiError.of("mfa_not_enabled");
  await assertReauthentication(userId, context, purpose, [currentPasswordFactor(userId, password, "password"), currentCodeFactor(userId, code)]);
  return user.email;
}

export async function regenerateRecoveryCodes(userId: string, password: string, code: string, context: RequestContext): Promise<string[]> {
  await assertPasswordAndCode(userId, password, code, context, "mfa_recovery_codes");
  const codes = await replaceRecoveryCodes(userId);
  await recordAudit({ type: "mfa.recovery_codes", actorId: userId, targetId: userId, context });
  return codes;
}

/** Turns the second factor off and queues the notice to its owner in the same transaction. */
async function clearTwoFactor(userId: string, notice: MailMessage): Promise<void> {
  await db().$transaction([
    db().user.update({ where: { id: userId }, data: { totpSecret: null, totpEnabledAt: null, totpLastStep: null }, select: { id: true } }),
    db().recoveryCode.deleteMany({ where: { userId } }),
    db().mfaChallenge.deleteMany({ where: { userId } }),
    queueMail(db(), notice),
  ]);
  wakeMailWorker();
}

export async function disableTwoFactor(userId: string, password: string, code: string, context: RequestContext): Promise<void> {
  const email = await assertPasswordAndCode(userId, password, code, context, "mfa_disable");
  await clearTwoFactor(userId, mailTemplates.twoFactorChanged(await mailRecipient(userId, email), "disabled", `${publicOrigin()}/account`));
  await recordAudit({ type: "mfa.disable", actorId: userId, targetId: userId, context });
}

/**
 * For a person who lost both their authenticator and their recovery codes: an admin turns 2FA off, which also
 * ends the person's sessions (whoever holds them got in with the old factor), and the person is told by mail.
 */
export async function resetTwoFactorByAdmin(adminId: string, userId: string, context: RequestContext): Promise<void> {
  const user = await db().user.findUnique({ where: { id: userId }, select: { email: true, totpSecret: true } });
  if (!user) throw ApiError.notFound("user");
  if (!user.totpSecret) return;
  await clearTwoFactor(userId, mailTemplates.twoFactorChanged(await mailRecipient(userId, user.email), "reset", `${publicOrigin()}/account`));
  const sessionsEnded = await endUserSessions(userId);
  await recordAudit({ type: "mfa.reset", actorId: adminId, targetId: userId, context, detail: { via: "admin", sessionsEnded } });
}
