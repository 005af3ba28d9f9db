"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requestTranslator } from "@/i18n/server";
import { currentRequestContext, requireRecentAuthentication, requireAccountOwner } from "@/lib/dal/session";
import type { FieldErrors } from "@/lib/errors";
import { attemptForm, attemptNotice, parseForm } from "@/lib/forms/action-outcome";
import { formText, type FormState } from "@/lib/forms/form-state";
import { withNotice } from "@/lib/forms/notices";
import { passkeyRegistrationOptions, registerPasskey, removePasskey, renamePasskey } from "@/lib/services/passkeys";
import { addPasskeySchema, passkeyNameField } from "@/lib/validations/auth";

type Failure = { ok: false; message: string; fieldErrors?: FieldErrors };
type Options = Awaited<ReturnType<typeof passkeyRegistrationOptions>>;

/** The passkey prompt runs in the browser's script, so its steps answer with the form state's message and fields. */
async function failure(state: FormState): Promise<Failure> {
  return { ok: false, message: state.message ?? (await requestTranslator())("formMessages.correctFields"), fieldErrors: state.fieldErrors };
}

/** Step one of adding a passkey: the password again, then the options the browser's prompt needs. */
export async function passkeyRegistrationOptionsAction(input: { password: string; name: string }): Promise<{ ok: true; options: Options } | Failure> {
  const { user } = await requireRecentAuthentication("/account");
  const parsed = await parseForm(addPasskeySchema, input);
  if (!parsed.ok) return await failure(parsed.state);
  const prepared = await attemptForm(async () => passkeyRegistrationOptions(user.id, parsed.data.password, await currentRequestContext()));
  return prepared.ok ? { ok: true, options: prepared.value } : await failure(prepared.state);
}

/** Step two: the authenticator's answer, verified and stored. */
export async function registerPasskeyAction(response: unknown, name: string): Promise<{ ok: true } | Failure> {
  const { user } = await requireRecentAuthentication("/account");
  const parsedName = passkeyNameField.safeParse(name);
  if (!parsedName.success) return { ok: false, message: (await requestTranslator())("fieldErrors.nameRequired") };
  const saved = await attemptForm(async () =>
    registerPasskey(user.id, response as Parameters<typeof registerPasskey>[1], parsedName.data, await currentRequestContext()),
  );
  if (!saved.ok) return await failure(saved.state);
  revalidatePath("/account");
  return { ok: true };
}

export async function renamePasskeyAction(formData: FormData): Promise<void> {
  const { user } = await requireAccountOwner("/account");
  const name = passkeyNameField.safeParse(formText(formData, "name"));
  const notice = name.success
    ? await attemptNotice(() => renamePasskey(user.id, formText(formData, "id"), name.data), { ok: "passkey-renamed", not_found: "passkey-not-found" })
    : "passkey-name-invalid";
  redirect(withNotice("/account", notice));
}

export async function removePasskeyAction(formData: FormData): Promise<void> {
  const { user } = await requireRecentAuthentication("/account");
  const notice = await attemptNotice(async () => removePasskey(user.id, formText(formData, "id"), await currentRequestContext()), {
    ok: "passkey-removed",
    not_found: "passkey-not-found",
  });
  redirect(withNotice("/account", notice));
}
