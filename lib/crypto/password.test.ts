import { describe, expect, it } from "vitest";
import {
  BCRYPT_COST,
  BCRYPT_MAX_INPUT_BYTES,
  hashPassword,
  isCommonPassword,
  loadPasswordBlocklist,
  prehashPassword,
  verifyAgainstDummy,
  verifyPassword,
} from "./password";

describe("password hashing", () => {
  it("uses bcrypt at cost 12", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(hash).toMatch(new RegExp(`^\\$2b\\$${BCRYPT_COST}\\$`));
    expect(await verifyPassword("correct horse battery staple", hash)).toBe(true);
    expect(await verifyPassword("correct horse battery stapler", hash)).toBe(false);
  });

  it("makes every character count beyond bcrypt's 72 bytes", async () => {
    const prefix = "x".repeat(BCRYPT_MAX_INPUT_BYTES);
    const hash = await hashPassword(`${prefix}-one`);
    expect(await verifyPassword(`${prefix}-one`, hash)).toBe(true);
    expect(await verifyPassword(`${prefix}-two`, hash)).toBe(false);
  });

  it("feeds bcrypt fewer than 72 bytes whatever the password length", () => {
    expect(Buffer.byteLength(prehashPassword("é".repeat(128)))).toBeLessThanOrEqual(BCRYPT_MAX_INPUT_BYTES);
  });

  it("treats NFKC-equivalent passwords as the same password", async () => {
    const hash = await hashPassword("ﬁne ﬁne ﬁne ﬁne ﬁne");
    expect(await verifyPassword("fine fine fine fine fine", hash)).toBe(true);
  });

  it("never matches the dummy hash", async () => {
    expect(await verifyAgainstDummy("latchkey dummy password that never matches")).toBe(false);
  });
});

describe("common password blocklist", () => {
  it("holds at least 100,000 entries", async () => {
    expect((await loadPasswordBlocklist()).size).toBeGreaterThanOrEqual(100_000);
  });

  it("rejects well-known passwords regardless of case", async () => {
    expect(await isCommonPassword("password1234")).toBe(true);
    expect(await isCommonPassword("PASSWORD1234")).toBe(true);
    expect(await isCommonPassword("violet tram anchors seventeen")).toBe(false);
  });
});
