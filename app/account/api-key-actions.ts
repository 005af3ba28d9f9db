"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { currentRequestContext, requireRecentAuthentication } from "@/lib/dal/session";
import { apiErrorState, formText, validationFailure, type FormState } from "@/lib/form-state";
import { ApiError } from "@/lib/errors";
import { createUserApiKey, revokeApiKey } from "@/lib/services/api-keys";
import { recordIdSchema } from "@/lib/validations/admin";
import { createApiKeyFormSchema } from "@/lib/validations/auth";

/** The new key comes back in the form state: shown once, on this response only. */
export type CreateApiKeyState = FormState & { key?: string };

export async function createApiKeyAction(_previous: CreateApiKeyState, formData: FormData): Promise<CreateApiKeyState> {
  const { user } = await requireRecentAuthentication("/account");
  const values = { name: formText(formData, "name"), expiresInDays: formText(formData, "expiresInDays") };
  const parsed = createApiKeyFormSchema.safeParse(values);
  if (!parsed.success) return validationFailure(parsed.error, values);
  try {
    const { apiKey, key } = await createUserApiKey(
      user.id,
      { name: parsed.data.name, expiresInDays: parsed.data.expiresInDays ? Number(parsed.data.expiresInDays) : undefined },
      await currentRequestContext(),
    );
    revalidatePath("/account");
    return { status: "success", message: `Key “${apiKey.name}” created. Copy it now: it won't be shown again.`, key };
  } catch (error) {
    if (error instanceof ApiError) return apiErrorState(error, values);
    throw error;
  }
}

export async function revokeApiKeyAction(formData: FormData): Promise<void> {
  const { user } = await requireRecentAuthentication("/account");
  const id = recordIdSchema.safeParse(formText(formData, "id"));
  if (id.success) {
    try {
      await revokeApiKey(user.id, id.data, await currentRequestContext());
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
    }
  }
  redirect("/account?notice=api-key-revoked");
}
