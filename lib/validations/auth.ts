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

/** The OAuth2 password grant (RFC 6749 §4.3) as FastAPI-style clients post it; extra OAuth fields are allowed. */
export const passwordGrantSchema = z.object({
  grant_type: z.literal("password", { error: "grant_type must be password" }),
  username: loginSchema.shape.identifier,
  password: existingPasswordField,
  scope: z.string().max(MAX_LOGIN_INPUT_LENGTH).optional(),
  client_id: z.string().max(MAX_LOGIN_INPUT_LENGTH).optional(),
  client_secret: z.string().max(MAX_LOGIN_INPUT_LENGTH).optional(),
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
