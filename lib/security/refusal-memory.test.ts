import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// The memory is kept per database object; these tests need only one, never opened.
const current = { database: {} };
vi.mock("@/lib/db/client", () => ({ database: () => current.database }));

const {
  REFUSAL_MEMORY_MAX_KEYS,
  REFUSAL_MEMORY_MAX_MS,
  forgetAllRefusals,
  forgetRefusal,
  rememberAlias,
  rememberRefusal,
  rememberedAlias,
  rememberedRefusal,
} = await import("./refusal-memory");

const START = Date.UTC(2026, 11, 2, 12, 0, 0);
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(START);
  forgetAllRefusals();
});
afterEach(() => vi.useRealTimers());

const at = (ms: number) => vi.setSystemTime(START + ms);

describe("refusal memory", () => {
  it("refuses until the end the database said, to the millisecond, then asks again", () => {
    rememberRefusal("key", 5_000);
    at(4_999);
    expect(rememberedRefusal("key")).toBe(1);
    at(5_000);
    expect(rememberedRefusal("key")).toBeNull();
  });

  it("asks again after REFUSAL_MEMORY_MAX_MS however long the block, a lockout included", () => {
    rememberRefusal("long", 3_600_000);
    rememberRefusal("lockout", null);
    at(REFUSAL_MEMORY_MAX_MS - 1);
    expect(rememberedRefusal("long")).toBe(3_600_000 - REFUSAL_MEMORY_MAX_MS + 1);
    expect(rememberedRefusal("lockout")).toBe(Infinity);
    at(REFUSAL_MEMORY_MAX_MS);
    expect(rememberedRefusal("long")).toBeNull();
    expect(rememberedRefusal("lockout")).toBeNull();
  });

  it("remembers nothing for a block already over, and keeps the later of two answers that raced", () => {
    rememberRefusal("over", 0);
    expect(rememberedRefusal("over")).toBeNull();
    rememberRefusal("raced", 9_000);
    rememberRefusal("raced", 4_000);
    expect(rememberedRefusal("raced")).toBe(9_000);
  });

  it("forgets a key when told, and is kept apart per database", () => {
    rememberRefusal("cleared", 9_000);
    forgetRefusal("cleared");
    expect(rememberedRefusal("cleared")).toBeNull();
    rememberRefusal("shared name", 9_000);
    const first = current.database;
    current.database = {};
    expect(rememberedRefusal("shared name")).toBeNull();
    current.database = first;
    expect(rememberedRefusal("shared name")).toBe(9_000);
  });

  it("holds at most REFUSAL_MEMORY_MAX_KEYS keys, forgetting the oldest first", () => {
    for (let i = 0; i <= REFUSAL_MEMORY_MAX_KEYS; i += 1) rememberRefusal(`key ${i}`, 9_000);
    expect(rememberedRefusal("key 0")).toBeNull();
    expect(rememberedRefusal("key 1")).toBe(9_000);
    expect(rememberedRefusal(`key ${REFUSAL_MEMORY_MAX_KEYS}`)).toBe(9_000);
  });

  it("answers for an alias only while the refusal it was made for is remembered", () => {
    rememberRefusal("user:1", 5_000);
    rememberAlias("login-identifier:alice", "user:1");
    expect(rememberedAlias("login-identifier:alice")).toEqual({ key: "user:1", remainingMs: 5_000 });
    expect(rememberedAlias("login-identifier:bob")).toBeNull();
    rememberAlias("login-identifier:carol", "user:2");
    expect(rememberedAlias("login-identifier:carol"), "no alias for a key that isn't refused").toBeNull();
    at(5_000);
    expect(rememberedAlias("login-identifier:alice")).toBeNull();
  });

  it("never revives an alias when its key is refused again after being cleared or renewed", () => {
    rememberRefusal("user:1", 5_000);
    rememberAlias("login-identifier:alice", "user:1");
    rememberAlias("login-identifier:alice@example.com", "user:1");
    forgetRefusal("user:1");
    rememberRefusal("user:1", 60_000);
    // Asked only after the key is refused again: a cleared block's alias stays dead.
    expect(rememberedAlias("login-identifier:alice")).toBeNull();

    rememberAlias("login-identifier:dave", "user:1");
    // The database said the block lasts longer: a new remembering, for which the old alias was not made.
    at(1_000);
    rememberRefusal("user:1", 120_000);
    expect(rememberedAlias("login-identifier:dave")).toBeNull();
    expect(rememberedAlias("login-identifier:alice@example.com")).toBeNull();
  });

  it("keeps at most REFUSAL_MEMORY_MAX_KEYS aliases, forgetting the oldest", () => {
    rememberRefusal("user:1", 10_000);
    for (let index = 0; index <= REFUSAL_MEMORY_MAX_KEYS; index += 1) rememberAlias(`alias ${index}`, "user:1");
    expect(rememberedAlias("alias 0")).toBeNull();
    expect(rememberedAlias("alias 1")).toEqual({ key: "user:1", remainingMs: 10_000 });
  });
});
