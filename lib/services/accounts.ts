import type { Locale } from "@/i18n/locales";
import { hashPassword } from "@/lib/crypto/password";
import { db } from "@/lib/db/client";
import { toUserDto, userDtoSelect, type UserDto } from "@/lib/services/user-dto";
import { env, publicOrigin } from "@/lib/env";
import { ApiError, LAST_ADMIN_DELETE_MESSAGE } from "@/lib/errors";
import { mailTemplates } from "@/lib/mail/templates";
import { clearLoginFailures, userThrottleKey } from "@/lib/security/login-throttle";
import { consumeRateLimit } from "@/lib/security/rate-limit";
import type { RequestContext } from "@/lib/security/request-context";
import type { ChangePasswordInput, SignupInput } from "@/lib/validations/auth";
import { recordAudit, recordRefusalAudit } from "./audit";
import { resetRequestLink, sendVerificationMail } from "./email-flows";
import { isUniqueViolation } from "./errors";
import { mayMail } from "./mail-limits";
import { assertPasswordAllowed } from "./password-policy";
import { mailRecipient, mailRecipientByAddress, queueMail, sendMailSoon, wakeMailWorker } from "./mail-queue";
import { assertCurrentPassword } from "./reauthentication";
import { endUserSessions } from "./sessions";

export const signupsByIpKey = (clientKey: string) => `signups:ip:${clientKey}`;

export type SignupResult = { status: "created"; user: UserDto } | { status: "verification_sent" };

/**
 * Creates the account and mails a verification link. With AUTH_REQUIRE_EMAIL_VERIFICATION the answer is the same
 * for a new and an already-registered email (the owner is told instead), after the same work: one bcrypt hash
 * and one insert.
 */
/** The language switch, signed in: the account's mails follow it. */
export async function setPreferredLocale(userId: string, locale: Locale): Promise<void> {
  await db().user.updateMany({ where: { id: userId }, data: { locale } });
}

/** `locale`: the language the person signed up in, which their mails use (the verification mail first). */
export async function signUp(input: SignupInput, context: RequestContext, locale?: Locale): Promise<SignupResult> {
  const settings = env();
  const key = signupsByIpKey(context.clientKey);
  const slot = await consumeRateLimit(key, settings.RATE_LIMIT_SIGNUPS_PER_IP);
  if (!slot.allowed) {
    await recordRefusalAudit({ type: "signup.rate_limited", context, detail: { retryAfterSeconds: slot.retryAfterSeconds } }, key);
    throw ApiError.rateLimited(slot.retryAfterSeconds);
  }
  // signupSchema has checked the context words already: it sees the username and email.
  await assertPasswordAllowed(input.password, "password");
  const passwordHash = await hashPassword(input.password);
  const requireVerification = settings.AUTH_REQUIRE_EMAIL_VERIFICATION;
  // Asked before the transaction, so that the link and its mail can be written inside it: a new account and an
  // already-registered address spend the address's mail budget alike.
  const mailAllowed = await mayMail(input.email);
  let user;
  try {
    // One transaction: a crash can never leave an account without its audit event or its verification mail.
    user = await db().$transaction(async (tx) => {
      const created = await tx.user.create({
        data: { username: input.username, email: input.email, passwordHash, locale },
        select: userDtoSelect,
      });
      await recordAudit({ type: "signup", actorId: created.id, targetId: created.id, context }, tx);
      if (mailAllowed) await sendVerificationMail(created.id, created.email, tx);
      return created;
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    if (requireVerification && (await db().user.findUnique({ where: { email: input.email }, select: { id: true } }))) {
      if (mailAllowed) await sendMailSoon(mailTemplates.signupAttempt(await mailRecipientByAddress(input.email), `${publicOrigin()}/login`, resetRequestLink()));
      return { status: "verification_sent" };
    }
    throw ApiError.of("account_exists");
  }
  if (mailAllowed) wakeMailWorker();
  return requireVerification ? { status: "verification_sent" } : { status: "created", user: toUserDto(user) };
}

export async function getUser(userId: string): Promise<UserDto | null> {
  const user = await db().user.findUnique({ where: { id: userId }, select: userDtoSelect });
  return user && toUserDto(user);
}

export type SessionScope = { sessionId?: string; context: RequestContext };

/** Changes the password and ends every other session and access token; the caller's own stays signed in. */
export async function changePassword(userId: string, input: ChangePasswordInput, scope: SessionScope): Promise<void> {
  await assertCurrentPassword(userId, input.currentPassword, scope.context, "currentPassword", "password_change");
  const user = await db().user.findUniqueOrThrow({ where: { id: userId }, select: { username: true, email: true } });
  await assertPasswordAllowed(input.newPassword, "newPassword", user);
  const passwordHash = await hashPassword(input.newPassword);
  const sessionsEnded = await db().$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { passwordHash } });
    // A reset link mailed before the change would undo it; one still queued goes with its link.
    await tx.emailToken.deleteMany({ where: { userId, purpose: "RESET_PASSWORD", usedAt: null } });
    await queueMail(tx, mailTemplates.passwordChanged(await mailRecipient(userId, user.email, tx), resetRequestLink()));
    return endUserSessions(userId, scope.sessionId, tx);
  });
  wakeMailWorker();
  await recordAudit({ type: "password.change", actorId: userId, targetId: userId, context: scope.context, detail: { sessionsEnded } });
}

/** "Log out everywhere": every session cookie and access token of the user fails on its next use. */
export async function revokeAllSessions(userId: string, context: RequestContext): Promise<void> {
  const sessionsEnded = await endUserSessions(userId);
  await recordAudit({ type: "logout.everywhere", actorId: userId, targetId: userId, context, detail: { sessionsEnded } });
}

/** Deleting one's own account: the password again, then the user and everything of theirs in one transaction. */
export async function deleteOwnAccount(userId: string, password: string, context: RequestContext): Promise<void> {
  await assertCurrentPassword(userId, password, context, "password", "account_delete");
  const user = await db().user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, username: true } });
  await db().$transaction(async (tx) => {
    const target = await tx.user.findUnique({ where: { id: userId }, select: { role: true } });
    if (!target) return;
    if (target.role === "ADMIN") {
      const admins = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "User" WHERE role = 'ADMIN' FOR UPDATE`;
      if (admins.length <= 1) throw ApiError.of("last_admin", { message: LAST_ADMIN_DELETE_MESSAGE });
    }
    // Sessions, access tokens, mailed links (with their mails still queued) and linked accounts go with the user
    // (ON DELETE CASCADE).
    await tx.user.delete({ where: { id: userId } });
    await queueMail(tx, mailTemplates.accountDeleted(await mailRecipient(userId, user.email, tx)));
  });
  wakeMailWorker();
  await clearLoginFailures(userThrottleKey(userId));
  await recordAudit({ type: "user.delete", actorId: userId, targetId: userId, context, detail: { identifier: user.username, via: "account" } });
}
