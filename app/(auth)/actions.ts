"use server";

import { redirect } from "next/navigation";
import { signOut } from "@/auth";
import { startSession } from "@/lib/auth/start-session";
import { safeCallbackPath } from "@/lib/auth/session-config";
import { env } from "@/lib/env";
import { apiErrorState, formText, validationFailure, type FormState } from "@/lib/form-state";
import { ApiError, INVALID_CREDENTIALS_MESSAGE } from "@/lib/http/api-error";
import { signUp } from "@/lib/services/accounts";
import { loginSchema, signupSchema } from "@/lib/validations/auth";

export async function signupAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const input = {
    username: formText(formData, "username"),
    email: formText(formData, "email"),
    password: formText(formData, "password"),
  };
  const safeValues = { username: input.username, email: input.email };
  const parsed = signupSchema(env().PASSWORD_MIN_LENGTH).safeParse(input);
  if (!parsed.success) return validationFailure(parsed.error, safeValues);
  try {
    await signUp(parsed.data);
  } catch (error) {
    if (error instanceof ApiError) return apiErrorState(error, safeValues);
    throw error;
  }
  if (!(await startSession(parsed.data.email, parsed.data.password))) {
    return { status: "error", message: "Your account was created; please log in.", values: safeValues };
  }
  redirect("/dashboard");
}

export async function loginAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const input = { identifier: formText(formData, "identifier"), password: formText(formData, "password") };
  const safeValues = { identifier: input.identifier };
  const parsed = loginSchema.safeParse(input);
  if (!parsed.success) return validationFailure(parsed.error, safeValues);
  if (!(await startSession(parsed.data.identifier, parsed.data.password))) {
    return { status: "error", message: INVALID_CREDENTIALS_MESSAGE, values: safeValues };
  }
  redirect(safeCallbackPath(formData.get("callbackUrl")));
}

export async function logoutAction(): Promise<void> {
  await signOut({ redirect: false });
  redirect("/login");
}
