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
    .string({ error: "fieldErrors.identifierRequired" })
    .trim()
    .min(1, "fieldErrors.identifierRequired")
    .max(MAX_LOGIN_INPUT_LENGTH, "fieldErrors.identifierTooLong"),
  password: existingPasswordField,
});
export type LoginInput = z.infer<typeof loginSchema>;

/** A code from an authenticator app (6 digits) or a recovery code; the service decides which. */
export const otpField = z
  .string({ error: "fieldErrors.codeRequired" })
  .trim()
  .min(1, "fieldErrors.codeRequired")
  .max(32, "fieldErrors.codeTooLong");

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

/** Any string up to this length is looked at (and refused without a lookup when it has the wrong shape). */
const presentedToken = (name: string) =>
  z.string({ error: `${name} is required` }).min(1, `${name} is required`).max(4096, `${name} is too long`);

/** The refresh grant (RFC 6749 §6) as JSON. */
export const refreshGrantSchema = z.strictObject({
  grant_type: z.literal("refresh_token"),
  refresh_token: presentedToken("refresh_token"),
});

/** The refresh grant form-encoded; extra OAuth fields are allowed, as in the password grant. */
export const refreshGrantFormSchema = z.object({
  ...refreshGrantSchema.shape,
  scope: passwordGrantSchema.shape.scope,
  client_id: passwordGrantSchema.shape.client_id,
  client_secret: passwordGrantSchema.shape.client_secret,
});

/** Token revocation (RFC 7009), JSON. */
export const revokeTokenSchema = z.strictObject({
  token: presentedToken("token"),
  token_type_hint: z.string().max(64).optional(),
});

/** Token revocation form-encoded. */
export const revokeTokenFormSchema = z.object({ ...revokeTokenSchema.shape, client_id: passwordGrantSchema.shape.client_id });

export function changePasswordSchema(minPasswordLength = DEFAULT_MIN_PASSWORD_LENGTH) {
  return z
    .strictObject({
      currentPassword: existingPasswordField,
      newPassword: newPasswordField(minPasswordLength),
    })
    .refine((value) => value.currentPassword !== value.newPassword, {
      path: ["newPassword"],
      message: "fieldErrors.newPasswordSame",
    });
}
export type ChangePasswordInput = z.infer<ReturnType<typeof changePasswordSchema>>;

/** Tokens from mailed links: the exact shape is checked by the service, which answers `invalid_token`. */
export const mailedTokenSchema = z.string({ error: "fieldErrors.tokenRequired" }).min(1, "fieldErrors.tokenRequired").max(256, "fieldErrors.tokenTooLong");

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
      message: "fieldErrors.passwordsDiffer",
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
  name: z.string({ error: "fieldErrors.nameRequired" }).trim().min(1, "fieldErrors.nameRequired").max(64, "fieldErrors.nameTooLong"),
  expiresInDays: z.number().int().min(1, "fieldErrors.expiryTooShort").max(3650, "fieldErrors.expiryTooLong").optional(),
  /** Default: profile:read. Only what the owner's role allows. */
  scopes: apiKeyScopesField.optional(),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeySchema>;

/** The account page's form: the expiry comes from a select, as text. */
export const createApiKeyFormSchema = z.strictObject({
  name: createApiKeySchema.shape.name,
  expiresInDays: z.enum(["", ...API_KEY_EXPIRY_DAYS.map(String)] as [string, ...string[]], { error: "fieldErrors.expiryChoice" }),
  // A checkbox group: react-hook-form may hold one ticked box as its bare value and none as false; the server
  // action always sends the list (FormData.getAll).
  scopes: z.preprocess((value) => (typeof value === "string" ? [value] : value === false ? [] : value), apiKeyScopesField),
});
export type CreateApiKeyFormInput = z.infer<typeof createApiKeyFormSchema>;

export const passkeyNameField = z.string({ error: "fieldErrors.nameRequired" }).trim().min(1, "fieldErrors.nameRequired").max(64, "fieldErrors.nameTooLong");
export const addPasskeySchema = z.strictObject({ password: existingPasswordField, name: passkeyNameField });
export type AddPasskeyInput = z.infer<typeof addPasskeySchema>;
