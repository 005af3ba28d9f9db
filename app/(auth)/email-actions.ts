"use server";

import { redirect } from "next/navigation";
import { requestTranslator } from "@/i18n/server";
import { currentRequestContext, currentSession, refuseWhileViewing } from "@/lib/dal/session";
import { env } from "@/lib/env";
import { apiErrorState, attemptForm, parseForm } from "@/lib/forms/action-outcome";
import { formText, type FormState } from "@/lib/forms/form-state";
import { confirmEmailToken, requestPasswordReset, resendVerification, resetPassword } from "@/lib/services/email-flows";
import { invalidToken } from "@/lib/services/email-tokens";
import { emailOnlySchema, mailedTokenSchema, resetPasswordFormSchema, verifyEmailSchema } from "@/lib/validations/auth";

export async function forgotPasswordAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const values = { email: formText(formData, "email") };
  const parsed = await parseForm(emailOnlySchema, values, values);
  if (!parsed.ok) return parsed.state;
  const requested = await attemptForm(async () => requestPasswordReset(parsed.data.email, await currentRequestContext()), values);
  if (!requested.ok) return requested.state;
  redirect("/forgot-password?sent=1");
}

export async function resetPasswordAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const token = mailedTokenSchema.safeParse(formText(formData, "token"));
  const parsed = await parseForm(resetPasswordFormSchema(env().PASSWORD_MIN_LENGTH), {
    password: formText(formData, "password"),
    confirmPassword: formText(formData, "confirmPassword"),
  });
  if (!parsed.ok) return parsed.state;
  const reset = await attemptForm(async () => resetPassword(token.data, parsed.data.password, await currentRequestContext()));
  if (!reset.ok) return reset.state;
  redirect("/reset-password/done");
}

export async function resendVerificationAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const values = { email: formText(formData, "email") };
  const parsed = await parseForm(emailOnlySchema, values, values);
  if (!parsed.ok) return parsed.state;
  const resent = await attemptForm(async () => resendVerification(parsed.data.email, await currentRequestContext()), values);
  if (!resent.ok) return resent.state;
  return {
    status: "success",
    message: (await requestTranslator())("formMessages.verificationResent"),
    values,
  };
}

/** The button on /verify-email: only this POST uses the mailed token up, never opening the link. */
export async function confirmEmailAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const parsed = verifyEmailSchema.safeParse({ token: formText(formData, "token") });
  if (!parsed.success) return await apiErrorState(invalidToken());
  // A link opened while viewing as someone is the user's to use, not the administrator's.
  refuseWhileViewing(await currentSession().catch(() => null));
  const confirmed = await attemptForm(async () => {
    // A browser signed in to this same account keeps its session when the address is first proven.
    const keepSessionId = (await currentSession())?.sessionId;
    return confirmEmailToken(parsed.data.token, await currentRequestContext(), { keepSessionId });
  });
  if (!confirmed.ok) return confirmed.state;
  redirect(`/verify-email/done${confirmed.value.purpose === "CHANGE_EMAIL" ? "?changed=1" : ""}`);
}
