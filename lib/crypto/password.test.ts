import { createHmac } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { bcryptCompare } from "./bcrypt-pool";
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

// The real pool, watched: the dummy check must spend a real bcrypt comparison, not just answer false.
vi.mock("./bcrypt-pool", async (importOriginal) => {
  const original = await importOriginal<typeof import("./bcrypt-pool")>();
  return { ...original, bcryptCompare: vi.fn(original.bcryptCompare) };
});

describe("password hashing", () => {
  it("uses bcrypt at cost 12", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(BCRYPT_COST).toBe(12);
    expect(hash).toMatch(/^\$2b\$12\$/);
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

  it("never matches the dummy hash, yet spends a full bcrypt comparison at cost 12 on it", async () => {
    const compare = vi.mocked(bcryptCompare);
    compare.mockClear();
    expect(await verifyAgainstDummy("latchkey dummy password that never matches")).toBe(false);
    expect(await verifyAgainstDummy("any other password")).toBe(false);
    expect(compare).toHaveBeenCalledTimes(2);
    expect(compare.mock.calls[1][0]).toBe(prehashPassword("any other password"));
    expect(compare.mock.calls[1][1]).toMatch(/^\$2b\$12\$.{53}$/);
    // The comparison ran and answered: the dummy's own password matches its hash, the answer is still false.
    expect(await compare.mock.results[0].value).toBe(true);
  });
});

describe("common password blocklist", () => {
  it("reads the list once per minimum length and shares it", () => {
    expect(loadPasswordBlocklist(9)).toBe(loadPasswordBlocklist(9));
    expect(loadPasswordBlocklist(9)).not.toBe(loadPasswordBlocklist(10));
  });

  it("loads in a few turns of a busy event loop, not one per chunk of the file", async () => {
    // Another request's work takes 20 ms of every turn, as under the 200-client load. Read as a stream, the list
    // needed 187 turns, so the first sign-ups of a busy server waited for it as long as half a minute.
    let turns = 0;
    let loading = true;
    const busyTurn = () => {
      if (!loading) return;
      turns += 1;
      const until = performance.now() + 20;
      while (performance.now() < until);
      setImmediate(busyTurn);
    };
    setImmediate(busyTurn);
    await loadPasswordBlocklist(11);
    loading = false;
    expect(turns).toBeLessThan(50);
  }, 30_000);

  it("holds at least 100,000 entries at the lowest allowed minimum length", async () => {
    expect((await loadPasswordBlocklist(8)).size).toBeGreaterThanOrEqual(100_000);
  });

  it("keeps only the entries a password of the minimum length could match", async () => {
    const atDefault = await loadPasswordBlocklist(15);
    expect(atDefault.size).toBeGreaterThan(1_000);
    expect(atDefault.size).toBeLessThan(10_000);
    expect([...atDefault].every((entry) => [...entry].length >= 15)).toBe(true);
    expect(atDefault.has("password")).toBe(false);
    const longCommon = [...(await loadPasswordBlocklist(8))].find((entry) => [...entry].length >= 15);
    expect(longCommon && atDefault.has(longCommon)).toBe(true);
    expect(await isCommonPassword(longCommon!.toUpperCase(), 15)).toBe(true);
  });

  it("holds the entries the list writes with Windows line endings, without the carriage return", async () => {
    // 13,824 lines of the file end in \r\n; split on \n alone, 2,085 passwords that appear only so (73 of them 15
    // or more long) could never match.
    expect(await isCommonPassword("backupexec", 8)).toBe(true);
    expect(await isCommonPassword("films+pic+galeries", 15)).toBe(true);
    expect([...(await loadPasswordBlocklist(8))].some((entry) => entry.includes("\r"))).toBe(false);
  });

  it("rejects well-known passwords regardless of case", async () => {
    expect(await isCommonPassword("password1234", 8)).toBe(true);
    expect(await isCommonPassword("PASSWORD1234", 8)).toBe(true);
    expect(await isCommonPassword("violet tram anchors seventeen", 8)).toBe(false);
  });
});

describe("the blocklist's contents (found by mutation testing)", () => {
  it("keeps only entries of 8 characters or more, lower-cased", async () => {
    const entries = await loadPasswordBlocklist(8);
    expect(entries.has("password")).toBe(true);
    expect(entries.has("PASSWORD")).toBe(false);
    // "123456" is the most common password of all, and too short for the list: length rules catch it first.
    expect(entries.has("123456")).toBe(false);
    expect([...entries].every((entry) => entry.length >= 8 && entry === entry.toLowerCase())).toBe(true);
  });

  it("pins the pre-hash: stored hashes depend on its key and encoding", () => {
    expect(prehashPassword("correct horse battery staple")).toBe(createHmac("sha384", "latchkey/password/v1").update("correct horse battery staple", "utf8").digest("base64"));
    expect(prehashPassword("é")).toBe(createHmac("sha384", "latchkey/password/v1").update(Buffer.from("é", "utf8")).digest("base64"));
  });
});

