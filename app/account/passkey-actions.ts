"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { redirect } from "next/navigation";
import { currentRequestContext, requireRecentAuthentication, requireSession } from "@/lib/dal/session";
import { apiErrorState, formText } from "@/lib/form-state";
import { ApiError, type FieldErrors } from "@/lib/errors";
import { passkeyRegistrationOptions, registerPasskey, removePasskey, renamePasskey } from "@/lib/services/passkeys";
import { addPasskeySchema, passkeyNameField } from "@/lib/validations/auth";

type Failure = { ok: false; message: string; fieldErrors?: FieldErrors };
type Options = Awaited<ReturnType<typeof passkeyRegistrationOptions>>;

function failure(error: unknown): Failure {
  if (error instanceof ApiError) {
    // A 429 says how long to wait, like every other form.
    const state = apiErrorState(error);
    return { ok: false, message: state.message ?? error.message, fieldErrors: state.fieldErrors };
  }
  throw error;
}

/** Step one of adding a passkey: the password again, then the options the browser's prompt needs. */
export async function passkeyRegistrationOptionsAction(input: { password: string; name: string }): Promise<{ ok: true; options: Options } | Failure> {
  const { user } = await requireRecentAuthentication("/account");
  const parsed = addPasskeySchema.safeParse(input);
  if (!parsed.success) return { ok: false, message: "Please correct the highlighted fields.", fieldErrors: z.flattenError(parsed.error).fieldErrors as FieldErrors };
  try {
    return { ok: true, options: await passkeyRegistrationOptions(user.id, parsed.data.password, await currentRequestContext()) };
  } catch (error) {
    return failure(error);
  }
}

/** Step two: the authenticator's answer, verified and stored. */
export async function registerPasskeyAction(response: unknown, name: string): Promise<{ ok: true } | Failure> {
  const { user } = await requireRecentAuthentication("/account");
  const parsedName = passkeyNameField.safeParse(name);
  if (!parsedName.success) return { ok: false, message: "Name is required" };
  try {
    await registerPasskey(user.id, response as Parameters<typeof registerPasskey>[1], parsedName.data, await currentRequestContext());
  } catch (error) {
    return failure(error);
  }
  revalidatePath("/account");
  return { ok: true };
}

export async function renamePasskeyAction(formData: FormData): Promise<void> {
  const { user } = await requireSession("/account");
  const name = passkeyNameField.safeParse(formText(formData, "name"));
  if (name.success) {
    try {
      await renamePasskey(user.id, formText(formData, "id"), name.data);
    } catch (error) {
      failure(error);
    }
  }
  redirect(`/account?notice=${name.success ? "passkey-renamed" : "passkey-name-invalid"}`);
}

export async function removePasskeyAction(formData: FormData): Promise<void> {
  const { user } = await requireRecentAuthentication("/account");
  try {
    await removePasskey(user.id, formText(formData, "id"), await currentRequestContext());
  } catch (error) {
    failure(error);
  }
  redirect("/account?notice=passkey-removed");
}
