"use server";

import { redirect } from "next/navigation";
import { currentRequestContext, requireRole } from "@/lib/dal/session";
import { formText } from "@/lib/form-state";
import { ApiError } from "@/lib/http/api-error";
import {
  LAST_ADMIN_MESSAGE,
  SELF_LOCK_MESSAGE,
  SELF_REMOVAL_MESSAGE,
  clearUserThrottle,
  deleteUser,
  endSessionsForUser,
  sendPasswordResetForUser,
  updateUser,
} from "@/lib/services/admin";
import { roleField, recordIdSchema } from "@/lib/validations/admin";
import { safeCallbackPath } from "@/lib/auth/session-config";

/** Back to the page the admin was on, with a notice from a fixed list (nothing user-supplied is echoed). */
function backTo(formData: FormData, notice: string): never {
  const returnTo = safeCallbackPath(formText(formData, "returnTo") || "/admin");
  const url = new URL(returnTo.startsWith("/admin") ? returnTo : "/admin", "http://latchkey.invalid");
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

export async function changeRoleAction(formData: FormData): Promise<void> {
  const admin = await requireRole("ADMIN", "/admin");
  const userId = recordIdSchema.safeParse(formText(formData, "userId"));
  const role = roleField.safeParse(formText(formData, "role"));
  const outcome =
    userId.success && role.success ? await runAdminChange(async () =>
          updateUser(admin.id, userId.data, { role: role.data }, await currentRequestContext()),
        ) : "invalid";
  backTo(formData, outcome === "ok" ? "role-updated" : outcome);
}

export async function deleteUserAction(formData: FormData): Promise<void> {
  const admin = await requireRole("ADMIN", "/admin");
  const userId = recordIdSchema.safeParse(formText(formData, "userId"));
  const outcome = userId.success ? await runAdminChange(async () => deleteUser(admin.id, userId.data, await currentRequestContext())) : "invalid";
  backTo(formData, outcome === "ok" ? "user-deleted" : outcome);
}

export async function setLockedAction(formData: FormData): Promise<void> {
  const admin = await requireRole("ADMIN", "/admin");
  const userId = recordIdSchema.safeParse(formText(formData, "userId"));
  const locked = formText(formData, "locked");
  const outcome =
    userId.success && (locked === "true" || locked === "false")
      ? await runAdminChange(async () =>
          updateUser(admin.id, userId.data, { locked: locked === "true" }, await currentRequestContext()),
        )
      : "invalid";
  backTo(formData, outcome === "ok" ? (locked === "true" ? "user-locked" : "user-unlocked") : outcome);
}

export async function clearThrottleAction(formData: FormData): Promise<void> {
  const admin = await requireRole("ADMIN", "/admin");
  const userId = recordIdSchema.safeParse(formText(formData, "userId"));
  const outcome = userId.success
    ? await runAdminChange(async () => clearUserThrottle(admin.id, userId.data, await currentRequestContext()))
    : "invalid";
  backTo(formData, outcome === "ok" ? "throttle-cleared" : outcome);
}

export async function endSessionsAction(formData: FormData): Promise<void> {
  const admin = await requireRole("ADMIN", "/admin");
  const userId = recordIdSchema.safeParse(formText(formData, "userId"));
  const outcome = userId.success
    ? await runAdminChange(async () => endSessionsForUser(admin.id, userId.data, await currentRequestContext()))
    : "invalid";
  backTo(formData, outcome === "ok" ? "sessions-ended" : outcome);
}

export async function sendPasswordResetAction(formData: FormData): Promise<void> {
  const admin = await requireRole("ADMIN", "/admin");
  const userId = recordIdSchema.safeParse(formText(formData, "userId"));
  const outcome = userId.success
    ? await runAdminChange(async () => sendPasswordResetForUser(admin.id, userId.data, await currentRequestContext()))
    : "invalid";
  backTo(formData, outcome === "ok" ? "reset-sent" : outcome);
}

/** Deleting from the detail page: the admin types the username, so a slip of the mouse deletes nothing. */
export async function deleteUserConfirmedAction(formData: FormData): Promise<void> {
  const admin = await requireRole("ADMIN", "/admin");
  const userId = recordIdSchema.safeParse(formText(formData, "userId"));
  if (!userId.success || formText(formData, "confirmation").trim().toLowerCase() !== formText(formData, "username")) {
    backTo(formData, "confirmation-mismatch");
  }
  const outcome = await runAdminChange(async () => deleteUser(admin.id, userId.data, await currentRequestContext()));
  if (outcome === "ok") redirect("/admin?notice=user-deleted");
  backTo(formData, outcome);
}
