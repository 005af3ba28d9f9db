import { describe, expect, it } from "vitest";
import { translator } from "@/i18n/translate";
import { CONTEXT_WORD_MESSAGE, DEFAULT_MIN_PASSWORD_LENGTH, containsContextWord, contextWords, newPasswordField } from "./fields";

describe("the password policy's building blocks", () => {
  it("takes the site name, the username and the email's local part as context words, lower-cased, if 3+ long", () => {
    expect(contextWords("Alice", "Bob.Smith@Example.com")).toEqual(["latchkey", "alice", "bob.smith"]);
    expect(contextWords("abc", "xyz@example.com")).toEqual(["latchkey", "abc", "xyz"]);
    expect(contextWords("ab", "xy@example.com")).toEqual(["latchkey"]);
    expect(contextWords()).toEqual(["latchkey"]);
  });

  it("finds a context word anywhere in the password, after NFKC and case folding", () => {
    expect(containsContextWord("my ＡＬＩＣＥ passphrase", contextWords("alice"))).toBe(true);
    expect(containsContextWord("nothing personal here", contextWords("alice", "bob@example.com"))).toBe(false);
    expect(translator()(CONTEXT_WORD_MESSAGE as "fieldErrors.passwordContextWord")).toMatch(/username, email or the site name/);
  });

  it("says what is wrong with a new password, in words a person can act on", () => {
    const t = translator();
    const messages = (value: unknown, min = DEFAULT_MIN_PASSWORD_LENGTH) => {
      const result = newPasswordField(min).safeParse(value);
      return result.success ? [] : result.error.issues.map((issue) => t(issue.message as "fieldErrors.passwordTooShort", { min }));
    };
    expect(DEFAULT_MIN_PASSWORD_LENGTH).toBe(15);
    expect(messages(undefined)).toEqual(["Password is required"]);
    expect(messages("x".repeat(14))).toEqual(["Password must be at least 15 characters"]);
    expect(messages("x".repeat(15))).toEqual([]);
    expect(messages("x".repeat(7), 8)).toEqual(["Password must be at least 8 characters"]);
    expect(messages("x".repeat(129))).toEqual(["Password must be at most 128 characters"]);
    expect(messages("x".repeat(128))).toEqual([]);
  });
});
