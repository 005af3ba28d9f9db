import { describe, expect, it } from "vitest";
import { API_KEY_VISIBLE_CHARS, createApiKey, hashApiKey, isApiKey, looksLikeApiKey } from "./api-key";

describe("API keys", () => {
  it("look like lk_ + 43 base62 characters (256 bits), are unique, and are stored as SHA-256", () => {
    const keys = Array.from({ length: 100 }, createApiKey);
    expect(new Set(keys.map(({ key }) => key)).size).toBe(100);
    for (const { key, keyHash, prefix } of keys) {
      expect(key).toMatch(/^lk_[0-9A-Za-z]{43}$/);
      expect(looksLikeApiKey(key)).toBe(true);
      expect(keyHash).toBe(hashApiKey(key));
      expect(keyHash).toMatch(/^[0-9a-f]{64}$/);
      expect(prefix).toBe(key.slice(0, API_KEY_VISIBLE_CHARS));
    }
    // Every base62 character turns up: the alphabet is used in full.
    expect(new Set(keys.map(({ key }) => key.slice(3)).join("")).size).toBe(62);
  });

  it("refuses near misses", () => {
    const { key } = createApiKey();
    for (const junk of [key.slice(0, -1), `${key}a`, key.replace("lk_", "lx_"), `${key.slice(0, -1)}-`]) {
      expect(looksLikeApiKey(junk)).toBe(false);
    }
  });
});

describe("isApiKey", () => {
  it("tells a key (lk_ first) from an access token, which goes to the JWT check instead", () => {
    expect(isApiKey(createApiKey().key)).toBe(true);
    expect(isApiKey("eyJhbGciOiJIUzI1NiJ9.e30.sig")).toBe(false);
    expect(isApiKey("token-ending-in-lk_")).toBe(false);
  });
});
