import type { FieldErrors } from "@/lib/errors";

/**
 * What a server action hands back to its form: never a password, only the fields safe to show again. Its words are
 * already in the reader's language (lib/forms/action-outcome.ts writes them); this module is shared with the
 * browser, so it carries no catalogue.
 */
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
