import { z } from "zod";
import type { ApiError, FieldErrors } from "@/lib/errors";

/** What a server action hands back to its form: never a password, only the fields safe to show again. */
export type FormState = {
  status: "idle" | "error" | "success";
  message?: string;
  fieldErrors?: FieldErrors;
  values?: Record<string, string>;
};

export const initialFormState: FormState = { status: "idle" };

export function formText(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
}

export function validationFailure(error: z.ZodError, values?: Record<string, string>): FormState {
  const { fieldErrors, formErrors } = z.flattenError(error);
  return {
    status: "error",
    message: formErrors[0] ?? "Please correct the highlighted fields.",
    fieldErrors: fieldErrors as FieldErrors,
    values,
  };
}

export function apiErrorState(error: ApiError, values?: Record<string, string>): FormState {
  const retryAfter = Number(error.headers?.["Retry-After"]);
  if (error.status === 429 && retryAfter > 0) return { status: "error", message: rateLimitedMessage(retryAfter), values };
  return { status: "error", message: error.message, fieldErrors: error.fields, values };
}

export const UNAVAILABLE_MESSAGE = "Latchkey is temporarily unavailable. Nothing was changed; please try again in a moment.";

/** The database is away: the form comes back with what was typed (never the password) and says so. */
export function unavailableState(values?: Record<string, string>): FormState {
  return { status: "error", message: UNAVAILABLE_MESSAGE, values };
}

/** "Too many attempts. Try again in 3 minutes.": whole minutes above a minute, seconds below. */
export function rateLimitedMessage(retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  const wait =
    retryAfterSeconds < 60
      ? `${retryAfterSeconds} second${retryAfterSeconds === 1 ? "" : "s"}`
      : `${minutes} minute${minutes === 1 ? "" : "s"}`;
  return `Too many attempts. Try again in ${wait}.`;
}
