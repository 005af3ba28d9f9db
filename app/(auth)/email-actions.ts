"use server";

import { redirect } from "next/navigation";
import { currentRequestContext, currentSession } from "@/lib/dal/session";
import { env } from "@/lib/env";
import { isOutage } from "@/lib/dal/availability";
import { apiErrorState, formText, unavailableState, validationFailure, type FormState } from "@/lib/form-state";
import { ApiError } from "@/lib/errors";
import { confirmEmailToken, requestPasswordReset, resendVerification, resetPassword, type VerifiedEmail } from "@/lib/services/email-flows";
import { invalidToken } from "@/lib/services/email-tokens";
import { emailOnlySchema, mailedTokenSchema, resetPasswordFormSchema, verifyEmailSchema } from "@/lib/validations/auth";

export async function forgotPasswordAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const parsed = emailOnlySchema.safeParse({ email: formText(formData, "email") });
  const values = { email: formText(formData, "email") };
  if (!parsed.success) return validationFailure(parsed.error, values);
  try {
    await requestPasswordReset(parsed.data.email, await currentRequestContext());
  } catch (error) {
    if (error instanceof ApiError) return apiErrorState(error, values);
    throw error;
  }
  redirect("/forgot-password?sent=1");
}

export async function resetPasswordAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const token = mailedTokenSchema.safeParse(formText(formData, "token"));
  const parsed = resetPasswordFormSchema(env().PASSWORD_MIN_LENGTH).safeParse({
    password: formText(formData, "password"),
    confirmPassword: formText(formData, "confirmPassword"),
  });
  if (!parsed.success) return validationFailure(parsed.error);
  try {
    await resetPassword(token.data, parsed.data.password, await currentRequestContext());
  } catch (error) {
    if (error instanceof ApiError) return apiErrorState(error);
    throw error;
  }
  redirect("/reset-password/done");
}

export async function resendVerificationAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const values = { email: formText(formData, "email") };
  const parsed = emailOnlySchema.safeParse(values);
  if (!parsed.success) return validationFailure(parsed.error, values);
  try {
    await resendVerification(parsed.data.email, await currentRequestContext());
  } catch (error) {
    if (error instanceof ApiError) return apiErrorState(error, values);
    throw error;
  }
  return {
    status: "success",
    message: "If that address has an account waiting for confirmation, a new link is on its way.",
    values,
  };
}

/** The button on /verify-email: only this POST uses the mailed token up, never opening the link. */
export async function confirmEmailAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const parsed = verifyEmailSchema.safeParse({ token: formText(formData, "token") });
  if (!parsed.success) return apiErrorState(invalidToken());
  let confirmed: VerifiedEmail;
  try {
    // A browser signed in to this same account keeps its session when the address is first proven.
    const keepSessionId = (await currentSession())?.sessionId;
    confirmed = await confirmEmailToken(parsed.data.token, await currentRequestContext(), { keepSessionId });
  } catch (error) {
    if (error instanceof ApiError) return apiErrorState(error);
    if (isOutage(error)) return unavailableState();
    throw error;
  }
  redirect(`/verify-email/done${confirmed.purpose === "CHANGE_EMAIL" ? "?changed=1" : ""}`);
}
