import { z } from "zod";
import {
  CONTEXT_WORD_MESSAGE,
  DEFAULT_MIN_PASSWORD_LENGTH,
  MAX_LOGIN_INPUT_LENGTH,
  containsContextWord,
  contextWords,
  emailField,
  existingPasswordField,
  newPasswordField,
  usernameField,
} from "./fields";
import { apiKeyScopesField } from "./api-key-scopes";

export function signupSchema(minPasswordLength = DEFAULT_MIN_PASSWORD_LENGTH) {
  return z
    .strictObject({
      username: usernameField,
      email: emailField,
      password: newPasswordField(minPasswordLength),
    })
    .superRefine((value, ctx) => {
      if (containsContextWord(value.password, contextWords(value.username, value.email))) {
        ctx.addIssue({ code: "custom", path: ["password"], message: CONTEXT_WORD_MESSAGE });
      }
    });
}
export type SignupInput = z.infer<ReturnType<typeof signupSchema>>;

export const loginSchema = z.strictObject({
  identifier: z
    .string({ error: "Email or username is required" })
    .trim()
    .min(1, "Email or username is required")
    .max(MAX_LOGIN_INPUT_LENGTH, "Email or username is too long"),
  password: existingPasswordField,
});
export type LoginInput = z.infer<typeof loginSchema>;

/** A code from an authenticator app (6 digits) or a recovery code; the service decides which. */
export const otpField = z
  .string({ error: "Authentication code is required" })
  .trim()
  .min(1, "Authentication code is required")
  .max(32, "Authentication code is too long");

export const tokenRequestSchema = loginSchema.extend({ otp: otpField.optional() });

export const verifyCodeSchema = z.strictObject({ code: otpField });
export type VerifyCodeInput = z.infer<typeof verifyCodeSchema>;

export const passwordAndCodeSchema = z.strictObject({ password: existingPasswordField, code: otpField });
export type PasswordAndCodeInput = z.infer<typeof passwordAndCodeSchema>;

/** The OAuth2 password grant (RFC 6749 §4.3) as FastAPI-style clients post it; extra OAuth fields are allowed. */
export const passwordGrantSchema = z.object({
  grant_type: z.literal("password", { error: "grant_type must be password" }),
  username: loginSchema.shape.identifier,
  password: existingPasswordField,
  scope: z.string().max(MAX_LOGIN_INPUT_LENGTH).optional(),
  client_id: z.string().max(MAX_LOGIN_INPUT_LENGTH).optional(),
  client_secret: z.string().max(MAX_LOGIN_INPUT_LENGTH).optional(),
  otp: otpField.optional(),
});

export function changePasswordSchema(minPasswordLength = DEFAULT_MIN_PASSWORD_LENGTH) {
  return z
    .strictObject({
      currentPassword: existingPasswordField,
      newPassword: newPasswordField(minPasswordLength),
    })
    .refine((value) => value.currentPassword !== value.newPassword, {
      path: ["newPassword"],
      message: "New password must differ from the current one",
    });
}
export type ChangePasswordInput = z.infer<ReturnType<typeof changePasswordSchema>>;

/** Tokens from mailed links: the exact shape is checked by the service, which answers `invalid_token`. */
export const mailedTokenSchema = z.string({ error: "Token is required" }).min(1, "Token is required").max(256, "Token is too long");

export const emailOnlySchema = z.strictObject({ email: emailField });
export type EmailOnlyInput = z.infer<typeof emailOnlySchema>;

export const verifyEmailSchema = z.strictObject({ token: mailedTokenSchema });

export function resetPasswordSchema(minPasswordLength = DEFAULT_MIN_PASSWORD_LENGTH) {
  return z.strictObject({ token: mailedTokenSchema, password: newPasswordField(minPasswordLength) });
}

/** The reset page asks twice (its token comes from the URL); the API takes the password once. */
export function resetPasswordFormSchema(minPasswordLength = DEFAULT_MIN_PASSWORD_LENGTH) {
  return z
    .strictObject({ password: newPasswordField(minPasswordLength), confirmPassword: z.string() })
    .refine((value) => value.password === value.confirmPassword, {
      path: ["confirmPassword"],
      message: "The two passwords don't match",
    });
}
export type ResetPasswordFormInput = z.infer<ReturnType<typeof resetPasswordFormSchema>>;

export const changeEmailSchema = z.strictObject({ newEmail: emailField, password: existingPasswordField });
export type ChangeEmailInput = z.infer<typeof changeEmailSchema>;

export const deleteAccountSchema = z.strictObject({ password: existingPasswordField });

/** The confirm page (sudo mode): the password again. Accounts without one confirm with a code (`verifyCodeSchema`). */
export const confirmAccessSchema = z.strictObject({ password: existingPasswordField });
export type ConfirmAccessInput = z.infer<typeof confirmAccessSchema>;

export const API_KEY_EXPIRY_DAYS = [30, 90, 365] as const;

export const createApiKeySchema = z.strictObject({
  name: z.string({ error: "Name is required" }).trim().min(1, "Name is required").max(64, "Name must be at most 64 characters"),
  expiresInDays: z.number().int().min(1, "Must be at least 1 day").max(3650, "Must be at most 10 years").optional(),
  /** Default: profile:read. Only what the owner's role allows. */
  scopes: apiKeyScopesField.optional(),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeySchema>;

/** The account page's form: the expiry comes from a select, as text. */
export const createApiKeyFormSchema = z.strictObject({
  name: createApiKeySchema.shape.name,
  expiresInDays: z.enum(["", ...API_KEY_EXPIRY_DAYS.map(String)] as [string, ...string[]], { error: "Choose an expiry" }),
  // A checkbox group: react-hook-form may hold one ticked box as its bare value and none as false; the server
  // action always sends the list (FormData.getAll).
  scopes: z.preprocess((value) => (typeof value === "string" ? [value] : value === false ? [] : value), apiKeyScopesField),
});
export type CreateApiKeyFormInput = z.infer<typeof createApiKeyFormSchema>;

export const passkeyNameField = z.string({ error: "Name is required" }).trim().min(1, "Name is required").max(64, "Name is too long");
export const addPasskeySchema = z.strictObject({ password: existingPasswordField, name: passkeyNameField });
export type AddPasskeyInput = z.infer<typeof addPasskeySchema>;
