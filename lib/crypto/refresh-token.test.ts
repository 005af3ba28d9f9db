import { describe, expect, it } from "vitest";
import { isApiKey } from "./api-key";
import { createRefreshToken, hashRefreshToken, looksLikeRefreshToken } from "./refresh-token";

describe("refresh tokens", () => {
  it("are 256 random bits behind a prefix, stored only as their SHA-256", () => {
    const { token, tokenHash } = createRefreshToken();
    expect(token).toMatch(/^lkr_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice(4), "base64url")).toHaveLength(32);
    expect(tokenHash).toBe(hashRefreshToken(token));
    expect(tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(createRefreshToken().token).not.toBe(token);
  });

  it("are never taken for API keys", () => {
    expect(isApiKey(createRefreshToken().token)).toBe(false);
  });

  it.each([
    ["too short", `lkr_${"a".repeat(42)}`],
    ["too long", `lkr_${"a".repeat(44)}`],
    ["another charset", `lkr_${"a".repeat(42)}=`],
    ["no prefix", "a".repeat(47)],
    ["an API key", `lk_${"a".repeat(43)}`],
  ])("recognise a malformed one (%s) without a lookup", (_name, candidate) => {
    expect(looksLikeRefreshToken(candidate)).toBe(false);
  });
});
