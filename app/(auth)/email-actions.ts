"use server";

import { redirect } from "next/navigation";
import { currentRequestContext } from "@/lib/dal/session";
import { env } from "@/lib/env";
import { apiErrorState, formText, validationFailure, type FormState } from "@/lib/form-state";
import { ApiError } from "@/lib/http/api-error";
import { requestPasswordReset, resendVerification, resetPassword } from "@/lib/services/email-flows";
import { emailOnlySchema, mailedTokenSchema, resetPasswordFormSchema } from "@/lib/validations/auth";

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
