import { describe, expect, it } from "vitest";
import { createEmailToken, hashEmailToken, looksLikeEmailToken } from "./email-token";

describe("email tokens", () => {
  it("are 256-bit, unique, and stored only as their SHA-256", () => {
    const tokens = Array.from({ length: 50 }, createEmailToken);
    expect(new Set(tokens.map(({ token }) => token)).size).toBe(50);
    for (const { token, tokenHash } of tokens) {
      expect(Buffer.from(token, "base64url")).toHaveLength(32);
      expect(tokenHash).toBe(hashEmailToken(token));
      expect(tokenHash).toMatch(/^[0-9a-f]{64}$/);
      expect(tokenHash).not.toContain(token);
      expect(looksLikeEmailToken(token)).toBe(true);
    }
  });

  it("refuse anything that is not a token's shape", () => {
    for (const junk of ["", "abc", `${createEmailToken().token}x`, "a".repeat(42) + "!", null, 42]) {
      expect(looksLikeEmailToken(junk)).toBe(false);
    }
  });
});
