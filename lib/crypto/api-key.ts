import { createHash, randomInt } from "node:crypto";

export const API_KEY_PREFIX = "lk_";
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** 43 base62 characters carry 256 bits (43 × log2 62 ≈ 256), i.e. 32 random bytes. */
export const API_KEY_RANDOM_CHARS = 43;
/** What the owner sees of a key later: enough to tell keys apart, far too little to guess the rest. */
export const API_KEY_VISIBLE_CHARS = API_KEY_PREFIX.length + 8;
const API_KEY_SHAPE = new RegExp(`^${API_KEY_PREFIX}[0-9A-Za-z]{${API_KEY_RANDOM_CHARS}}$`);

export function createApiKey(): { key: string; keyHash: string; prefix: string } {
  let random = "";
  for (let i = 0; i < API_KEY_RANDOM_CHARS; i += 1) random += BASE62[randomInt(BASE62.length)];
  const key = `${API_KEY_PREFIX}${random}`;
  return { key, keyHash: hashApiKey(key), prefix: key.slice(0, API_KEY_VISIBLE_CHARS) };
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function isApiKey(candidate: string): boolean {
  return candidate.startsWith(API_KEY_PREFIX);
}

export function looksLikeApiKey(candidate: string): boolean {
  return API_KEY_SHAPE.test(candidate);
}
