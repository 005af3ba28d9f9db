"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requestTranslator } from "@/i18n/server";
import { currentRequestContext, requireRecentAuthentication } from "@/lib/dal/session";
import { attempt, attemptForm, parseForm } from "@/lib/forms/action-outcome";
import { formText, type FormState } from "@/lib/forms/form-state";
import { withNotice } from "@/lib/forms/notices";
import {
  confirmTwoFactorEnrollment,
  disableTwoFactor,
  regenerateRecoveryCodes,
  startTwoFactorEnrollment,
} from "@/lib/services/two-factor";
import { passwordAndCodeSchema, verifyCodeSchema } from "@/lib/validations/auth";

/** Recovery codes come back in the form state: shown once, on this response only. */
export type RecoveryCodesState = FormState & { recoveryCodes?: string[] };

export async function startTwoFactorAction(): Promise<void> {
  const { user } = await requireRecentAuthentication("/account");
  // Already on, or already started: the page shows where things stand either way.
  const started = await attempt(() => startTwoFactorEnrollment(user.id));
  if (!started.ok && started.failure.kind === "outage") redirect(withNotice("/account", "unavailable"));
  // A URL of its own: a redirect that only changes the fragment would not re-render the page.
  revalidatePath("/account");
  redirect("/account?step=two-factor#two-factor");
}

export async function confirmTwoFactorAction(_previous: RecoveryCodesState, formData: FormData): Promise<RecoveryCodesState> {
  const { user } = await requireRecentAuthentication("/account");
  const parsed = await parseForm(verifyCodeSchema, { code: formText(formData, "code") });
  if (!parsed.ok) return parsed.state;
  const confirmed = await attemptForm(async () => confirmTwoFactorEnrollment(user.id, parsed.data.code, await currentRequestContext()));
  if (!confirmed.ok) return confirmed.state;
  return { status: "success", message: (await requestTranslator())("formMessages.twoFactorOn"), recoveryCodes: confirmed.value };
}

/** Regenerating codes and turning 2FA off both take the password and a code; the button says which. */
export async function manageTwoFactorAction(_previous: RecoveryCodesState, formData: FormData): Promise<RecoveryCodesState> {
  const { user } = await requireRecentAuthentication("/account");
  const parsed = await parseForm(passwordAndCodeSchema, { password: formText(formData, "password"), code: formText(formData, "code") });
  if (!parsed.ok) return parsed.state;
  const { password, code } = parsed.data;
  if (formText(formData, "intent") === "disable") {
    const disabled = await attemptForm(async () => disableTwoFactor(user.id, password, code, await currentRequestContext()));
    if (!disabled.ok) return disabled.state;
    redirect(withNotice("/account", "two-factor-off"));
  }
  const regenerated = await attemptForm(async () => regenerateRecoveryCodes(user.id, password, code, await currentRequestContext()));
  if (!regenerated.ok) return regenerated.state;
  return { status: "success", message: (await requestTranslator())("formMessages.recoveryCodesReplaced"), recoveryCodes: regenerated.value };
}
