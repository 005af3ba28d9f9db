"use server";

import { redirect } from "next/navigation";
import { signOut } from "@/auth";
import { requestTranslator } from "@/i18n/server";
import { currentRequestContext, requireRecentAuthentication, requireAccountOwner } from "@/lib/dal/session";
import { env } from "@/lib/env";
import { attemptForm, attemptNotice, parseForm } from "@/lib/forms/action-outcome";
import { formText, type FormState } from "@/lib/forms/form-state";
import { withNotice } from "@/lib/forms/notices";
import { changePassword, deleteOwnAccount, revokeAllSessions } from "@/lib/services/accounts";
import { requestEmailChange, resendVerification } from "@/lib/services/email-flows";
import { unlinkAccount } from "@/lib/services/federation";
import { endOtherSessions, endOwnSession } from "@/lib/services/sessions";
import { changeEmailSchema, changePasswordSchema, deleteAccountSchema } from "@/lib/validations/auth";

export async function changePasswordAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const { user, sessionId } = await requireAccountOwner("/account");
  const parsed = await parseForm(changePasswordSchema(env().PASSWORD_MIN_LENGTH), {
    currentPassword: formText(formData, "currentPassword"),
    newPassword: formText(formData, "newPassword"),
  });
  if (!parsed.ok) return parsed.state;
  const done = await attemptForm(async () => changePassword(user.id, parsed.data, { sessionId, context: await currentRequestContext() }));
  if (!done.ok) return done.state;
  redirect(withNotice("/account", "password-changed"));
}

export async function logoutEverywhereAction(): Promise<void> {
  const { user } = await requireAccountOwner("/account");
  const notice = await attemptNotice(async () => revokeAllSessions(user.id, await currentRequestContext()), { ok: "signed-out-everywhere" });
  if (notice !== "signed-out-everywhere") redirect(withNotice("/account", notice));
  await signOut({ redirect: false });
  redirect(withNotice("/login", notice));
}

/** **Sign out** on one row of the session list; on this browser's own row it signs this browser out. */
export async function endSessionAction(formData: FormData): Promise<void> {
  const { user, sessionId } = await requireAccountOwner("/account");
  const target = formText(formData, "id");
  const notice = await attemptNotice(async () => endOwnSession(user.id, target, await currentRequestContext()), {
    ok: "session-ended",
    not_found: "session-not-found",
  });
  if (notice !== "session-ended" || target !== sessionId) redirect(withNotice("/account", notice));
  await signOut({ redirect: false });
  redirect("/login");
}

export async function endOtherSessionsAction(): Promise<void> {
  const { user, sessionId } = await requireAccountOwner("/account");
  const notice = await attemptNotice(async () => endOtherSessions(user.id, sessionId, await currentRequestContext()), {
    ok: "other-sessions-ended",
  });
  redirect(withNotice("/account", notice));
}

export async function changeEmailAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const { user } = await requireRecentAuthentication("/account");
  const values = { newEmail: formText(formData, "newEmail") };
  const parsed = await parseForm(changeEmailSchema, { ...values, password: formText(formData, "password") }, values);
  if (!parsed.ok) return parsed.state;
  const done = await attemptForm(async () => requestEmailChange(user.id, parsed.data, await currentRequestContext()), values);
  if (!done.ok) return done.state;
  return { status: "success", message: (await requestTranslator())("formMessages.emailChangeSent", { email: parsed.data.newEmail }) };
}

export async function resendMyVerificationAction(_previous: FormState): Promise<FormState> {
  const { user } = await requireAccountOwner("/account");
  const done = await attemptForm(async () => resendVerification(user.email, await currentRequestContext()));
  if (!done.ok) return done.state;
  return { status: "success", message: (await requestTranslator())("formMessages.verificationSentTo", { email: user.email }) };
}

export async function deleteAccountAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const { user } = await requireRecentAuthentication("/account");
  const parsed = await parseForm(deleteAccountSchema, { password: formText(formData, "password") });
  if (!parsed.ok) return parsed.state;
  const done = await attemptForm(async () => deleteOwnAccount(user.id, parsed.data.password, await currentRequestContext()));
  if (!done.ok) return done.state;
  await signOut({ redirect: false });
  redirect(withNotice("/login", "account-deleted"));
}

export async function unlinkAccountAction(formData: FormData): Promise<void> {
  const { user } = await requireRecentAuthentication("/account");
  const notice = await attemptNotice(async () => unlinkAccount(user.id, formText(formData, "provider"), await currentRequestContext()), {
    ok: "account-unlinked",
    last_sign_in_method: "last-sign-in-method",
    not_found: "account-not-linked",
  });
  redirect(withNotice("/account", notice));
}
