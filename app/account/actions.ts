"use server";

import { redirect } from "next/navigation";
import { signOut } from "@/auth";
import { startSession } from "@/lib/auth/start-session";
import { requireUser } from "@/lib/dal/session";
import { env } from "@/lib/env";
import { apiErrorState, formText, validationFailure, type FormState } from "@/lib/form-state";
import { ApiError } from "@/lib/http/api-error";
import { changePassword, revokeAllSessions } from "@/lib/services/accounts";
import { changePasswordSchema } from "@/lib/validations/auth";

export async function changePasswordAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser("/account");
  const parsed = changePasswordSchema(env().PASSWORD_MIN_LENGTH).safeParse({
    currentPassword: formText(formData, "currentPassword"),
    newPassword: formText(formData, "newPassword"),
  });
  if (!parsed.success) return validationFailure(parsed.error);
  try {
    await changePassword(user.id, parsed.data);
  } catch (error) {
    if (error instanceof ApiError) return apiErrorState(error);
    throw error;
  }
  // Every earlier session just ended, this one included: sign this browser in again with the new password.
  const signedIn = await startSession(user.email, parsed.data.newPassword);
  // A fresh request, so that the page renders with the new session cookie rather than the one just revoked.
  redirect(signedIn ? "/account?notice=password-changed" : "/login");
}

export async function logoutEverywhereAction(): Promise<void> {
  const user = await requireUser("/account");
  await revokeAllSessions(user.id);
  await signOut({ redirect: false });
  redirect("/login?notice=signed-out-everywhere");
}
