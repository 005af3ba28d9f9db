"use server";

import { redirect } from "next/navigation";
import { signOut } from "@/auth";
import { isOutage } from "@/lib/dal/availability";
import { currentRequestContext, currentSession } from "@/lib/dal/session";
import { startSession } from "@/lib/auth/start-session";
import { safeCallbackPath } from "@/lib/auth/session-config";
import { env } from "@/lib/env";
import { apiErrorState, formText, rateLimitedMessage, unavailableState, validationFailure, type FormState } from "@/lib/form-state";
import { ApiError, EMAIL_NOT_VERIFIED_MESSAGE, INVALID_CREDENTIALS_MESSAGE } from "@/lib/http/api-error";
import { signUp } from "@/lib/services/accounts";
import { recordAudit } from "@/lib/services/audit";
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
  let checkInbox = false;
  try {
    const result = await signUp(parsed.data, await currentRequestContext());
    if (result.status === "verification_sent") checkInbox = true;
  } catch (error) {
    if (error instanceof ApiError) return apiErrorState(error, safeValues);
    if (isOutage(error)) return unavailableState(safeValues);
    throw error;
  }
  if (checkInbox) redirect("/signup/check-email");
  if (!(await startSession(parsed.data.email, parsed.data.password)).ok) {
    return { status: "error", message: "Your account was created; please log in.", values: safeValues };
  }
  redirect("/dashboard");
}

export async function loginAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const input = { identifier: formText(formData, "identifier"), password: formText(formData, "password") };
  const safeValues = { identifier: input.identifier };
  const parsed = loginSchema.safeParse(input);
  if (!parsed.success) return validationFailure(parsed.error, safeValues);
  let outcome;
  try {
    outcome = await startSession(parsed.data.identifier, parsed.data.password);
  } catch (error) {
    if (isOutage(error)) return unavailableState(safeValues);
    throw error;
  }
  if (!outcome.ok) {
    const message =
      outcome.error === "rate_limited"
        ? rateLimitedMessage(outcome.retryAfterSeconds)
        : outcome.error === "email_not_verified"
          ? EMAIL_NOT_VERIFIED_MESSAGE
          : INVALID_CREDENTIALS_MESSAGE;
    return { status: "error", message, values: safeValues };
  }
  redirect(safeCallbackPath(formData.get("callbackUrl")));
}

export async function logoutAction(): Promise<void> {
  const session = await currentSession().catch(() => null);
  // Auth.js's signOut event deletes this session's row (lib/auth/config.ts); here it is only recorded.
  if (session) {
    await recordAudit({ type: "logout", actorId: session.user.id, targetId: session.user.id, context: await currentRequestContext() });
  }
  await signOut({ redirect: false });
  redirect("/login");
}
