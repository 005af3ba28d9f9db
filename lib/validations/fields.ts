import { z } from "zod";

export const MAX_PASSWORD_LENGTH = 128;
export const DEFAULT_MIN_PASSWORD_LENGTH = 15;
/** Generous bound on what a login form accepts, so that a huge input can't make us hash megabytes. */
export const MAX_LOGIN_INPUT_LENGTH = 1024;

/** Unicode code points after NFKC: what a person counts as characters, and what we store the password as. */
export function passwordLength(password: string): number {
  return [...password.normalize("NFKC")].length;
}

export const usernameField = z
  .string({ error: "fieldErrors.usernameRequired" })
  .trim()
  .toLowerCase()
  .min(3, "fieldErrors.usernameTooShort")
  .max(32, "fieldErrors.usernameTooLong")
  .regex(/^[a-z0-9_-]+$/, "fieldErrors.usernameCharacters");

export const emailField = z
  .string({ error: "fieldErrors.emailRequired" })
  .trim()
  .normalize("NFKC")
  .toLowerCase()
  .max(254, "fieldErrors.emailTooLong")
  .pipe(z.email("fieldErrors.emailInvalid"));

export function newPasswordField(minLength = DEFAULT_MIN_PASSWORD_LENGTH) {
  return z
    .string({ error: "fieldErrors.passwordRequired" })
    .refine((value) => passwordLength(value) >= minLength, "fieldErrors.passwordTooShort")
    .refine(
      (value) => passwordLength(value) <= MAX_PASSWORD_LENGTH,
      "fieldErrors.passwordTooLong",
    );
}

export const existingPasswordField = z
  .string({ error: "fieldErrors.passwordRequired" })
  .min(1, "fieldErrors.passwordRequired")
  .max(MAX_LOGIN_INPUT_LENGTH, "fieldErrors.passwordInputTooLong");

/** Parts of a person's identity that must not appear in their password (compared case-insensitively). */
export function contextWords(username?: string, email?: string): string[] {
  const localPart = email?.split("@")[0];
  return ["latchkey", username, localPart]
    .filter((word): word is string => typeof word === "string" && word.length >= 3)
    .map((word) => word.toLowerCase());
}

export function containsContextWord(password: string, words: string[]): boolean {
  const normalized = password.normalize("NFKC").toLowerCase();
  return words.some((word) => normalized.includes(word));
}

export const CONTEXT_WORD_MESSAGE = "fieldErrors.passwordContextWord";
