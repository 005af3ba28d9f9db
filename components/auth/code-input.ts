/** The props of every "Authentication code" field: a TOTP or recovery code, offered by the browser's one-time-code autofill. */
export const codeInputProps = {
  label: "Authentication code",
  autoComplete: "one-time-code",
  autoCapitalize: "none",
  spellCheck: false,
  required: true,
} as const;
