"use server";

import { redirect } from "next/navigation";
import { currentRequestContext, requireRecentAuthentication, requireRole } from "@/lib/dal/session";
import type { RequestContext } from "@/lib/security/request-context";
import { formText } from "@/lib/form-state";
import { ApiError } from "@/lib/http/api-error";
import {
  LAST_ADMIN_MESSAGE,
  SELF_LOCK_MESSAGE,
  SELF_REMOVAL_MESSAGE,
  clearUserThrottle,
  deleteUser,
  endSessionsForUser,
  getUserForAdmin,
  sendPasswordResetForUser,
  updateUser,
} from "@/lib/services/admin";
import { retryFailedMail } from "@/lib/services/mail-queue";
import { resetTwoFactorByAdmin } from "@/lib/services/two-factor";
import { roleField, recordIdSchema } from "@/lib/validations/admin";
import { safeRedirectPath } from "@/lib/security/redirect-target";

/** The admin page the form was on. */
function returnPath(formData: FormData): string {
  const returnTo = safeRedirectPath(formText(formData, "returnTo"), "/admin");
  return /^\/admin(?:[/?#]|$)/.test(returnTo) ? returnTo : "/admin";
}

/** Back to the page the admin was on, with a notice from a fixed list (nothing user-supplied is echoed). */
function backTo(formData: FormData, notice: string): never {
  const url = new URL(returnPath(formData), "http://latchkey.invalid");
  url.searchParams.set("notice", notice);
  redirect(`${url.pathname}${url.search}`);
}

async function runAdminChange(change: () => Promise<unknown>): Promise<string> {
  try {
    await change();
    return "ok";
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status === 404) return "not-found";
    if (error.status === 429) return "rate-limited";
    if (error.message === LAST_ADMIN_MESSAGE) return "last-admin";
    if (error.message === SELF_REMOVAL_MESSAGE || error.message === SELF_LOCK_MESSAGE) return "self";
    return "invalid";
  }
}

type UserChange = (adminId: string, userId: string, context: RequestContext) => Promise<unknown>;

/**
 * The shape of every admin action on one user: the role re-checked, a recent authentication when the change is one
 * of sudo mode's, the id validated, the outcome as a notice.
 */
async function changeUser(formData: FormData, okNotice: string, change: UserChange, { valid = true, sudo = false } = {}): Promise<never> {
  const admin = await requireRole("ADMIN", "/admin");
  if (sudo) await requireRecentAuthentication(returnPath(formData));
  const userId = recordIdSchema.safeParse(formText(formData, "userId"));
  const outcome =
    userId.success && valid
      ? await runAdminChange(async () => change(admin.id, userId.data, await currentRequestContext()))
      : "invalid";
  backTo(formData, outcome === "ok" ? okNotice : outcome);
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
  const admin = await requireRole("ADMIN", "/admin");
  await requireRecentAuthentication(returnPath(formData));
  const userId = recordIdSchema.safeParse(formText(formData, "userId"));
  const target = userId.success ? await getUserForAdmin(userId.data) : null;
  if (!target || formText(formData, "confirmation").trim().toLowerCase() !== target.username) {
    backTo(formData, target ? "confirmation-mismatch" : "not-found");
  }
  const outcome = await runAdminChange(async () => deleteUser(admin.id, target.id, await currentRequestContext()));
  if (outcome === "ok") redirect("/admin?notice=user-deleted");
  backTo(formData, outcome);
}

/** Queues a failed mail again (the mail queue page). */
export async function retryMailAction(formData: FormData): Promise<void> {
  const admin = await requireRole("ADMIN", "/admin/mail");
  const mailId = recordIdSchema.safeParse(formText(formData, "mailId"));
  const outcome = mailId.success
    ? await runAdminChange(async () => retryFailedMail(admin.id, mailId.data, await currentRequestContext()))
    : "invalid";
  backTo(formData, outcome === "ok" ? "mail-retried" : outcome === "not-found" ? "mail-not-found" : outcome);
}
