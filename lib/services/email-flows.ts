import {
  CHANGE_EMAIL_TOKEN_TTL_SECONDS,
  RESET_TOKEN_TTL_SECONDS,
  VERIFY_EMAIL_TOKEN_TTL_SECONDS,
} from "@/lib/crypto/email-token";
import { hashPassword } from "@/lib/crypto/password";
import { db, type Transaction } from "@/lib/db/client";
import { publicOrigin } from "@/lib/env";
import { ApiError } from "@/lib/errors";
import { mailTemplates } from "@/lib/mail/templates";
import { clearLoginFailures, userThrottleKey } from "@/lib/security/login-throttle";
import type { RequestContext } from "@/lib/security/request-context";
import { recordAudit } from "./audit";
import { queueRemovedCredentialsMail, proveAddressInTransaction } from "./address-proof";
import { assertPasswordAllowed } from "./password-policy";
import { consumeToken, findUsableToken, invalidToken, issueEmailToken } from "./email-tokens";
import { isUniqueViolation } from "./errors";
import { assertMailAllowed } from "./mail-limits";
import { mailRecipient, mailRecipientByAddress, queueMail, sendMailSoon, wakeMailWorker } from "./mail-queue";
import { assertCurrentPassword } from "./reauthentication";
import { endUserSessions } from "./sessions";

const link = (path: string, token?: string) =>
  `${publicOrigin()}${path}${token ? `?${new URLSearchParams({ token })}` : ""}`;

export const resetRequestLink = () => link("/forgot-password");

export async function sendVerificationMail(userId: string, email: string, tx?: Transaction): Promise<void> {
  const to = await mailRecipient(userId, email, tx);
  await issueEmailToken(userId, "VERIFY_EMAIL", email, VERIFY_EMAIL_TOKEN_TTL_SECONDS, (token) => mailTemplates.verifyEmail(to, link("/verify-email", token)), tx);
}

/** "Resend": answered the same whether or not the address has an account that still needs confirming. */
export async function resendVerification(email: string, context: RequestContext): Promise<void> {
  await assertMailAllowed(email, context);
  const user = await db().user.findUnique({ where: { email }, select: { id: true, emailVerified: true } });
  if (user && !user.emailVerified) await sendVerificationMail(user.id, email);
}

export type VerifiedEmail = { purpose: "VERIFY_EMAIL" | "CHANGE_EMAIL"; email: string };

/** What a mailed confirmation link would confirm, without using it up: the page asks before anything changes. */
export async function pendingEmailConfirmation(token: unknown): Promise<VerifiedEmail | null> {
  const found = await findUsableToken(token, ["VERIFY_EMAIL", "CHANGE_EMAIL"]);
  return found ? { purpose: found.purpose as VerifiedEmail["purpose"], email: found.email } : null;
}

/**
 * Consumes a link from a verification or change-of-address mail. A verification link that proves the address for the
 * first time also removes every credential from before the proof (pre-hijacking defence), but the session of a
 * browser that is signed in to this account when it confirms (`keepSessionId`), if the caller knows it.
 */
export async function confirmEmailToken(
  token: unknown,
  context: RequestContext,
  { keepSessionId }: { keepSessionId?: string } = {},
): Promise<VerifiedEmail> {
  const found = await findUsableToken(token, ["VERIFY_EMAIL", "CHANGE_EMAIL"]);
  if (!found) throw invalidToken();
  const previous = await db().user.findUnique({ where: { id: found.userId }, select: { email: true } });
  if (!previous) throw invalidToken();
  try {
    await db().$transaction(async (tx) => {
      if (!(await consumeToken(tx, found.id))) throw invalidToken();
      if (found.purpose === "VERIFY_EMAIL") {
        const removed = await proveAddressInTransaction(tx, found.userId, found.email, { via: "verification_link", keepSessionId }, context);
        await queueRemovedCredentialsMail(tx, found.userId, found.email, removed);
      }
      // A verification link only counts for the address it was sent to.
      const { count } = await tx.user.updateMany({
        where: { id: found.userId, ...(found.purpose === "VERIFY_EMAIL" && { email: found.email }) },
        data: { email: found.email, emailVerified: new Date() },
      });
      if (count !== 1) throw invalidToken();
      // Links mailed to the old address (a reset, a confirmation) must not outlive the move to the new one, nor their
      // mails that are still queued (they go with the links).
      if (found.purpose === "CHANGE_EMAIL") {
        await tx.emailToken.deleteMany({ where: { userId: found.userId, usedAt: null, purpose: { in: ["RESET_PASSWORD", "VERIFY_EMAIL"] } } });
        await queueMail(tx, mailTemplates.emailChanged(await mailRecipient(found.userId, previous.email, tx), found.email, resetRequestLink()));
      }
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw ApiError.of("invalid_token", { message: "errors.address_taken" });
    throw error;
  }
  wakeMailWorker();
  if (found.purpose === "CHANGE_EMAIL") {
    await recordAudit({ type: "email.change", actorId: found.userId, targetId: found.userId, context });
  } else {
    await recordAudit({ type: "email.verify", actorId: found.userId, targetId: found.userId, context });
  }
  return { purpose: found.purpose as VerifiedEmail["purpose"], email: found.email };
}

/** Forgot password: the same answer, in about the same time, for every address. */
export async function requestPasswordReset(email: string, context: RequestContext, actorId?: string): Promise<void> {
  await assertMailAllowed(email, context);
  const user = await db().user.findUnique({ where: { email }, select: { id: true } });
  if (!user) return;
  const to = await mailRecipient(user.id, email);
  await issueEmailToken(user.id, "RESET_PASSWORD", email, RESET_TOKEN_TTL_SECONDS, (token) => mailTemplates.resetPassword(to, link("/reset-password", token)));
  await recordAudit({ type: "password.reset_request", actorId, targetId: user.id, context, ...(actorId && { detail: { via: "admin" } }) });
}

/** Whether a reset link can still be used (the page shows the form only then). */
export async function isResetTokenUsable(token: unknown): Promise<boolean> {
  return (await findUsableToken(token, ["RESET_PASSWORD"])) !== null;
}

/**
 * Sets a new password from a reset link: single use, then every session and access token ends, the login back-off
 * is cleared, and the owner is told by mail. The person is not signed in. The link proves the address too: the first
 * such proof removes every credential from before it (pre-hijacking defence, lib/services/address-proof.ts).
 */
export async function resetPassword(token: unknown, password: string, context: RequestContext): Promise<void> {
  const found = await findUsableToken(token, ["RESET_PASSWORD"]);
  if (!found) throw invalidToken();
  const user = await db().user.findUnique({ where: { id: found.userId }, select: { username: true, email: true } });
  if (!user) throw invalidToken();
  await assertPasswordAllowed(password, "password", user);
  const passwordHash = await hashPassword(password);
  await db().$transaction(async (tx) => {
    if (!(await consumeToken(tx, found.id))) throw invalidToken();
    await tx.user.update({ where: { id: found.userId }, data: { passwordHash } });
    const removed = await proveAddressInTransaction(tx, found.userId, found.email, { via: "reset_link" }, context);
    await endUserSessions(found.userId, undefined, tx);
    // Other reset links go, and so do their mails if still queued.
    await tx.emailToken.deleteMany({ where: { userId: found.userId, purpose: "RESET_PASSWORD", usedAt: null } });
    await queueMail(tx, mailTemplates.passwordChanged(await mailRecipient(found.userId, user.email, tx), resetRequestLink()));
    await queueRemovedCredentialsMail(tx, found.userId, user.email, removed);
  });
  wakeMailWorker();
  await clearLoginFailures(userThrottleKey(found.userId));
  await recordAudit({ type: "password.reset", actorId: found.userId, targetId: found.userId, context });
}

/** Change of address: confirmed through a link sent to the new address before it replaces the old one. */
export async function requestEmailChange(
  userId: string,
  { newEmail, password }: { newEmail: string; password: string },
  context: RequestContext,
): Promise<void> {
  await assertCurrentPassword(userId, password, context, "password", "email_change");
  const user = await db().user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } });
  if (newEmail === user.email) throw ApiError.validation({ newEmail: ["fieldErrors.sameEmail"] });
  await assertMailAllowed(newEmail, context);
  // A taken address gets the same answer as a free one, or this form would tell anyone signed in who has an
  // account; its owner hears about the attempt instead.
  if (await db().user.findUnique({ where: { email: newEmail }, select: { id: true } })) {
    await sendMailSoon(mailTemplates.emailChangeAttempt(await mailRecipientByAddress(newEmail), link("/login"), resetRequestLink()));
    await recordAudit({ type: "email.change_request", actorId: userId, targetId: userId, context });
    return;
  }
  const to = await mailRecipient(userId, newEmail);
  await issueEmailToken(userId, "CHANGE_EMAIL", newEmail, CHANGE_EMAIL_TOKEN_TTL_SECONDS, (token) => mailTemplates.changeEmail(to, link("/verify-email", token)));
  await recordAudit({ type: "email.change_request", actorId: userId, targetId: userId, context });
}
