"use server";

import { redirect } from "next/navigation";
import { currentRequestContext, requireRecentAuthentication, requireRole } from "@/lib/dal/session";
import type { RequestContext } from "@/lib/security/request-context";
import { attempt, attemptNotice, failureNotice, type NoticeMap } from "@/lib/forms/action-outcome";
import { formText } from "@/lib/forms/form-state";
import { withNotice, type NoticeKey } from "@/lib/forms/notices";
import {
  clearUserThrottle,
  deleteUser,
  endSessionsForUser,
  getUserForAdmin,
  sendPasswordResetForUser,
  updateUser,
} from "@/lib/services/admin";
import { retryFailedMail } from "@/lib/services/mail-queue";
import { resetTwoFactorByAdmin } from "@/lib/services/two-factor";
import { SUSPENSION_REASON_MAX, impersonationReasonSchema, roleField, recordIdSchema } from "@/lib/validations/admin";
import { switchSession } from "@/lib/auth/start-session";
import { startImpersonation, stopImpersonation } from "@/lib/services/impersonation";
import { safeRedirectPath } from "@/lib/security/redirect-target";

/** The admin page the form was on. */
function returnPath(formData: FormData): string {
  const returnTo = safeRedirectPath(formText(formData, "returnTo"), "/admin");
  return /^\/admin(?:[/?#]|$)/.test(returnTo) ? returnTo : "/admin";
}

/** Back to the page the admin was on, with a notice from a fixed list (nothing user-supplied is echoed). */
function backTo(formData: FormData, notice: NoticeKey): never {
  redirect(withNotice(returnPath(formData), notice));
}

/** What an admin change's refusals say, by error code. */
const REFUSALS = {
  not_found: "not-found",
  rate_limited: "rate-limited",
  last_admin: "last-admin",
  self_removal: "self",
  self_lock: "self",
  failed: "invalid",
} satisfies Omit<NoticeMap, "ok">;

type UserChange = (adminId: string, userId: string, context: RequestContext) => Promise<unknown>;

/**
 * The shape of every admin action on one user: the role re-checked, a recent authentication when the change is one
 * of sudo mode's, the id validated, the outcome as a notice.
 */
async function changeUser(formData: FormData, okNotice: NoticeKey, change: UserChange, { valid = true, sudo = false } = {}): Promise<never> {
  // One session read: sudo mode's check takes the role too.
  const admin = sudo ? (await requireRecentAuthentication(returnPath(formData), "ADMIN")).user : await requireRole("ADMIN", "/admin");
  const userId = recordIdSchema.safeParse(formText(formData, "userId"));
  const notice =
    userId.success && valid
      ? await attemptNotice(async () => change(admin.id, userId.data, await currentRequestContext()), { ok: okNotice, ...REFUSALS })
      : "invalid";
  backTo(formData, notice);
}

export async function changeRoleAction(formData: FormData): Promise<void> {
  const role = roleField.safeParse(formText(formData, "role"));
  await changeUser(formData, "role-updated", (adminId, userId, context) => updateUser(adminId, userId, { role: role.data }, context), {
    valid: role.success,
    sudo: true,
  });
}

export async function deleteUserAction(formData: FormData): Promise<void> {
  await changeUser(formData, "user-deleted", deleteUser, { sudo: true });
}

export async function setLockedAction(formData: FormData): Promise<void> {
  const locked = formText(formData, "locked");
  await changeUser(
    formData,
    locked === "true" ? "user-locked" : "user-unlocked",
    (adminId, userId, context) => updateUser(adminId, userId, { locked: locked === "true" }, context),
    { valid: locked === "true" || locked === "false" },
  );
}

const SUSPENSION_HOURS: Record<string, number> = { "1h": 1, "1d": 24, "7d": 7 * 24 };

/** **Suspend**: for 1 hour, 1 day or 7 days with a reason, or until lifted, which is a lock. */
export async function suspendUserAction(formData: FormData): Promise<void> {
  const duration = formText(formData, "duration");
  const reason = formText(formData, "reason").trim().slice(0, SUSPENSION_REASON_MAX);
  if (duration === "lock") {
    await changeUser(formData, "user-locked", (adminId, userId, context) => updateUser(adminId, userId, { locked: true }, context));
  }
  const hours = Object.hasOwn(SUSPENSION_HOURS, duration) ? SUSPENSION_HOURS[duration] : undefined;
  const until = new Date(Date.now() + (hours ?? 0) * 3600 * 1000);
  await changeUser(
    formData,
    "user-suspended",
    (adminId, userId, context) => updateUser(adminId, userId, { suspendedUntil: until, suspensionReason: reason || undefined }, context),
    { valid: hours !== undefined },
  );
}

export async function liftSuspensionAction(formData: FormData): Promise<void> {
  await changeUser(formData, "suspension-lifted", (adminId, userId, context) => updateUser(adminId, userId, { suspendedUntil: null }, context));
}

export async function clearThrottleAction(formData: FormData): Promise<void> {
  await changeUser(formData, "throttle-cleared", clearUserThrottle);
}

export async function endSessionsAction(formData: FormData): Promise<void> {
  await changeUser(formData, "sessions-ended", endSessionsForUser);
}

export async function sendPasswordResetAction(formData: FormData): Promise<void> {
  await changeUser(formData, "reset-sent", sendPasswordResetForUser);
}

export async function resetTwoFactorAction(formData: FormData): Promise<void> {
  await changeUser(formData, "two-factor-reset", resetTwoFactorByAdmin, { sudo: true });
}

/** Deleting from the detail page: the admin types the username, so a slip of the mouse deletes nothing. */
export async function deleteUserConfirmedAction(formData: FormData): Promise<void> {
  const { user: admin } = await requireRecentAuthentication(returnPath(formData), "ADMIN");
  const userId = recordIdSchema.safeParse(formText(formData, "userId"));
  const found = userId.success ? await attempt(() => getUserForAdmin(userId.data)) : null;
  if (found && !found.ok) backTo(formData, failureNotice(found.failure, REFUSALS));
  const target = found?.value;
  if (!target || formText(formData, "confirmation").trim().toLowerCase() !== target.username) {
    backTo(formData, target ? "confirmation-mismatch" : "not-found");
  }
  const notice = await attemptNotice(async () => deleteUser(admin.id, target.id, await currentRequestContext()), { ok: "user-deleted", ...REFUSALS });
  if (notice === "user-deleted") redirect(withNotice("/admin", notice));
  backTo(formData, notice);
}

/** Queues a failed mail again (the mail queue page). */
export async function retryMailAction(formData: FormData): Promise<void> {
  const admin = await requireRole("ADMIN", "/admin/mail");
  const mailId = recordIdSchema.safeParse(formText(formData, "mailId"));
  const notice = mailId.success
    ? await attemptNotice(async () => retryFailedMail(admin.id, mailId.data, await currentRequestContext()), {
        ok: "mail-retried",
        ...REFUSALS,
        not_found: "mail-not-found",
      })
    : "invalid";
  backTo(formData, notice);
}

/**
 * **View as this user**: after a fresh password (sudo mode) and with a reason, for an active account without the admin
 * role. The browser then holds a read-only session of the user's for at most 30 minutes (see lib/services/impersonation).
 */
export async function viewAsUserAction(formData: FormData): Promise<void> {
  const { user: admin, sessionId } = await requireRecentAuthentication(returnPath(formData), "ADMIN");
  const userId = recordIdSchema.safeParse(formText(formData, "userId"));
  const reason = impersonationReasonSchema.safeParse(formText(formData, "reason"));
  if (!userId.success) backTo(formData, "invalid");
  if (!reason.success) backTo(formData, "impersonation-reason-required");
  const started = await attempt(async () => startImpersonation({ id: admin.id, sessionId }, userId.data, reason.data, await currentRequestContext()));
  if (!started.ok) backTo(formData, failureNotice(started.failure, { ...REFUSALS, impersonation_refused: "impersonation-refused" }));
  const switched = await attempt(() => switchSession(started.value.grant));
  if (!switched.ok || !switched.value.ok) {
    // Never handed over: no view stays open (nor reads as one in the user's activity without its end).
    await attempt(async () => stopImpersonation(started.value.sessionId, await currentRequestContext(), "keep"));
    backTo(formData, "failed");
  }
  redirect("/dashboard");
}
