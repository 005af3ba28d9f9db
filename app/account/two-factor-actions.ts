"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { currentRequestContext, requireRecentAuthentication } from "@/lib/dal/session";
import { apiErrorState, formText, validationFailure, type FormState } from "@/lib/form-state";
import { ApiError } from "@/lib/errors";
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
  try {
    await startTwoFactorEnrollment(user.id);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
  }
  // A URL of its own: a redirect that only changes the fragment would not re-render the page.
  revalidatePath("/account");
  redirect("/account?step=two-factor#two-factor");
}

export async function confirmTwoFactorAction(_previous: RecoveryCodesState, formData: FormData): Promise<RecoveryCodesState> {
  const { user } = await requireRecentAuthentication("/account");
  const parsed = verifyCodeSchema.safeParse({ code: formText(formData, "code") });
  if (!parsed.success) return validationFailure(parsed.error);
  try {
    const recoveryCodes = await confirmTwoFactorEnrollment(user.id, parsed.data.code, await currentRequestContext());
    return { status: "success", message: "Two-factor authentication is on. Save these recovery codes now: they won't be shown again.", recoveryCodes };
  } catch (error) {
    if (error instanceof ApiError) return apiErrorState(error);
    throw error;
  }
}

/** Regenerating codes and turning 2FA off both take the password and a code; the button says which. */
export async function manageTwoFactorAction(_previous: RecoveryCodesState, formData: FormData): Promise<RecoveryCodesState> {
  const { user } = await requireRecentAuthentication("/account");
  const parsed = passwordAndCodeSchema.safeParse({ password: formText(formData, "password"), code: formText(formData, "code") });
  if (!parsed.success) return validationFailure(parsed.error);
  const context = await currentRequestContext();
  const intent = formText(formData, "intent");
  try {
    if (intent === "disable") {
      await disableTwoFactor(user.id, parsed.data.password, parsed.data.code, context);
    } else {
      const recoveryCodes = await regenerateRecoveryCodes(user.id, parsed.data.password, parsed.data.code, context);
      return { status: "success", message: "New recovery codes: the old ones no longer work. Save these now.", recoveryCodes };
    }
  } catch (error) {
    if (error instanceof ApiError) return apiErrorState(error);
    throw error;
  }
  redirect("/account?notice=two-factor-off");
}
