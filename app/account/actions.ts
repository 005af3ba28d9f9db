"use server";

import { redirect } from "next/navigation";
import { signOut } from "@/auth";
import { currentRequestContext, requireRecentAuthentication, requireSession } from "@/lib/dal/session";
import { env } from "@/lib/env";
import { apiErrorState, formText, validationFailure, type FormState } from "@/lib/form-state";
import { ApiError } from "@/lib/errors";
import { changePassword, deleteOwnAccount, revokeAllSessions } from "@/lib/services/accounts";
import { requestEmailChange, resendVerification } from "@/lib/services/email-flows";
import { unlinkAccount } from "@/lib/services/federation";
import { changeEmailSchema, changePasswordSchema, deleteAccountSchema } from "@/lib/validations/auth";

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

export async function changeEmailAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const { user } = await requireRecentAuthentication("/account");
  const values = { newEmail: formText(formData, "newEmail") };
  const parsed = changeEmailSchema.safeParse({ ...values, password: formText(formData, "password") });
  if (!parsed.success) return validationFailure(parsed.error, values);
  try {
    await requestEmailChange(user.id, parsed.data, await currentRequestContext());
  } catch (error) {
    if (error instanceof ApiError) return apiErrorState(error, values);
    throw error;
  }
  return {
    status: "success",
    message: `We sent a link to ${parsed.data.newEmail}. Your address changes when you open it.`,
  };
}

export async function resendMyVerificationAction(_previous: FormState): Promise<FormState> {
  const { user } = await requireSession("/account");
  try {
    await resendVerification(user.email, await currentRequestContext());
  } catch (error) {
    if (error instanceof ApiError) return apiErrorState(error);
    throw error;
  }
  return { status: "success", message: `We sent a new confirmation link to ${user.email}.` };
}

export async function deleteAccountAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const { user } = await requireRecentAuthentication("/account");
  const parsed = deleteAccountSchema.safeParse({ password: formText(formData, "password") });
  if (!parsed.success) return validationFailure(parsed.error);
  try {
    await deleteOwnAccount(user.id, parsed.data.password, await currentRequestContext());
  } catch (error) {
    if (error instanceof ApiError) return apiErrorState(error);
    throw error;
  }
  await signOut({ redirect: false });
  redirect("/login?notice=account-deleted");
}

export async function unlinkAccountAction(formData: FormData): Promise<void> {
  const { user } = await requireRecentAuthentication("/account");
  let notice = "account-unlinked";
  try {
    await unlinkAccount(user.id, formText(formData, "provider"), await currentRequestContext());
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    notice = error.status === 409 ? "last-sign-in-method" : "account-unlinked";
  }
  redirect(`/account?notice=${notice}`);
}
