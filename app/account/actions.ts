"use server";

import { redirect } from "next/navigation";
import { signOut } from "@/auth";
import { currentRequestContext, requireSession } from "@/lib/dal/session";
import { env } from "@/lib/env";
import { apiErrorState, formText, validationFailure, type FormState } from "@/lib/form-state";
import { ApiError } from "@/lib/http/api-error";
import { changePassword, revokeAllSessions } from "@/lib/services/accounts";
import { changePasswordSchema } from "@/lib/validations/auth";

export async function changePasswordAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const { user, sessionId } = await requireSession("/account");
  const parsed = changePasswordSchema(env().PASSWORD_MIN_LENGTH).safeParse({
    currentPassword: formText(formData, "currentPassword"),
    newPassword: formText(formData, "newPassword"),
  });
  if (!parsed.success) return validationFailure(parsed.error);
  try {
    await changePassword(user.id, parsed.data, { sessionId, context: await currentRequestContext() });
  } catch (error) {
    if (error instanceof ApiError) return apiErrorState(error);
    throw error;
  }
  redirect("/account?notice=password-changed");
}

export async function logoutEverywhereAction(): Promise<void> {
  const { user } = await requireSession("/account");
  await revokeAllSessions(user.id, await currentRequestContext());
  await signOut({ redirect: false });
  redirect("/login?notice=signed-out-everywhere");
}
