import { COMMON_PASSWORD_MESSAGE, isCommonPassword } from "@/lib/crypto/password";
import { ApiError } from "@/lib/errors";
import { CONTEXT_WORD_MESSAGE, containsContextWord, contextWords } from "@/lib/validations/fields";

/** Whose password it is, when the form that carried it could not see that (a change or a reset). */
export type PasswordOwner = { username: string; email: string };

/**
 * The password policy's server half, run once per new password. Length lives in the form's schema
 * (`newPasswordField`), and so do the context words wherever the schema sees the username and email (signup, admin
 * creation: `signupSchema`). What the schema can't do is checked here: the common/breached blocklist, and the
 * context words when the caller passes the owner because the form did not carry them.
 */
export async function assertPasswordAllowed(password: string, field: string, owner?: PasswordOwner): Promise<void> {
  if (await isCommonPassword(password)) throw ApiError.validation({ [field]: [COMMON_PASSWORD_MESSAGE] });
  if (owner && containsContextWord(password, contextWords(owner.username, owner.email))) {
    throw ApiError.validation({ [field]: [CONTEXT_WORD_MESSAGE] });
  }
}
