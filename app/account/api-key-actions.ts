"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requestTranslator } from "@/i18n/server";
import { currentRequestContext, requireRecentAuthentication } from "@/lib/dal/session";
import { attemptForm, attemptNotice, parseForm } from "@/lib/forms/action-outcome";
import { formText, type FormState } from "@/lib/forms/form-state";
import { withNotice } from "@/lib/forms/notices";
import { createUserApiKey, revokeApiKey } from "@/lib/services/api-keys";
import { recordIdSchema } from "@/lib/validations/admin";
import { createApiKeyFormSchema } from "@/lib/validations/auth";

/** The new key comes back in the form state: shown once, on this response only. */
export type CreateApiKeyState = FormState & { key?: string };

export async function createApiKeyAction(_previous: CreateApiKeyState, formData: FormData): Promise<CreateApiKeyState> {
  const { user } = await requireRecentAuthentication("/account");
  const scopes = formData.getAll("scopes").filter((value) => typeof value === "string");
  const values = { name: formText(formData, "name"), expiresInDays: formText(formData, "expiresInDays"), scopes: scopes.join(" ") };
  const parsed = await parseForm(createApiKeyFormSchema, { ...values, scopes }, values);
  if (!parsed.ok) return parsed.state;
  const expiresInDays = parsed.data.expiresInDays ? Number(parsed.data.expiresInDays) : undefined;
  const created = await attemptForm(
    async () => createUserApiKey(user.id, { name: parsed.data.name, expiresInDays, scopes: parsed.data.scopes }, await currentRequestContext()),
    values,
  );
  if (!created.ok) return created.state;
  revalidatePath("/account");
  const { apiKey, key } = created.value;
  return { status: "success", message: (await requestTranslator())("formMessages.apiKeyCreated", { name: apiKey.name }), key };
}

export async function revokeApiKeyAction(formData: FormData): Promise<void> {
  const { user } = await requireRecentAuthentication("/account");
  const id = recordIdSchema.safeParse(formText(formData, "id"));
  const notice = id.success
    ? await attemptNotice(async () => revokeApiKey(user.id, id.data, await currentRequestContext()), { ok: "api-key-revoked", not_found: "api-key-not-found" })
    : "api-key-not-found";
  redirect(withNotice("/account", notice));
}
