"use server";

import { redirect } from "next/navigation";
import { signOut } from "@/auth";
import { safeRedirectPath } from "@/lib/security/redirect-target";
import { CONFIRM_ACCESS_PATH, currentRequestContext, requireAccountOwner } from "@/lib/dal/session";
import { attemptForm, validationFailure } from "@/lib/forms/action-outcome";
import { formText, type FormState } from "@/lib/forms/form-state";
import { confirmAccess, confirmAccessMethod } from "@/lib/services/confirm-access";
import { confirmAccessSchema, passwordAndCodeSchema, verifyCodeSchema } from "@/lib/validations/auth";

/** Sudo mode: what signing in asks (the password, with 2FA a code too) again, then back to the page that asked. */
export async function confirmAccessAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const returnTo = safeRedirectPath(formText(formData, "returnTo"));
  const { user, sessionId } = await requireAccountOwner(`${CONFIRM_ACCESS_PATH}?returnTo=${encodeURIComponent(returnTo)}`);
  const found = await attemptForm(() => confirmAccessMethod(user.id));
  if (!found.ok) return found.state;
  const method = found.value;
  const parsed =
    method === "code"
      ? verifyCodeSchema.safeParse({ code: formText(formData, "code") })
      : method === "password_and_code"
        ? passwordAndCodeSchema.safeParse({ password: formText(formData, "password"), code: formText(formData, "code") })
        : confirmAccessSchema.safeParse({ password: formText(formData, "password") });
  if (!parsed.success) return await validationFailure(parsed.error);
  const confirmed = await attemptForm(async () => confirmAccess(user.id, sessionId, parsed.data, await currentRequestContext()));
  if (!confirmed.ok) return confirmed.state;
  redirect(returnTo);
}

/** An account with neither a password nor a code confirms by signing in again: a new session is a fresh one. */
export async function signInAgainAction(formData: FormData): Promise<void> {
  const returnTo = safeRedirectPath(formText(formData, "returnTo"));
  await signOut({ redirect: false });
  redirect(`/login?callbackUrl=${encodeURIComponent(returnTo)}`);
}
