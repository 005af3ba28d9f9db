/**
 * The props of every "Authentication code" field (its label is `forms.authenticationCode`): a TOTP or recovery code,
 * offered by the browser's one-time-code autofill.
 */
export const codeInputProps = {
  autoComplete: "one-time-code",
  autoCapitalize: "none",
  spellCheck: false,
  required: true,
} as const;
