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
  .string({ error: "Username is required" })
  .trim()
  .toLowerCase()
  .min(3, "Username must be at least 3 characters")
  .max(32, "Username must be at most 32 characters")
  .regex(/^[a-z0-9_-]+$/, "Use only letters, digits, _ and -");

export const emailField = z
  .string({ error: "Email is required" })
  .trim()
  .normalize("NFKC")
  .toLowerCase()
  .max(254, "Email must be at most 254 characters")
  .pipe(z.email("Enter a valid email address"));

export function newPasswordField(minLength = DEFAULT_MIN_PASSWORD_LENGTH) {
  return z
    .string({ error: "Password is required" })
    .refine((value) => passwordLength(value) >= minLength, `Password must be at least ${minLength} characters`)
    .refine(
      (value) => passwordLength(value) <= MAX_PASSWORD_LENGTH,
      `Password must be at most ${MAX_PASSWORD_LENGTH} characters`,
    );
}

export const existingPasswordField = z
  .string({ error: "Password is required" })
  .min(1, "Password is required")
  .max(MAX_LOGIN_INPUT_LENGTH, "Password is too long");

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

export const CONTEXT_WORD_MESSAGE = "Password must not contain your username, email or the site name";
