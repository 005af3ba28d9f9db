import { describe, expect, it } from "vitest";
import { isRecentAuthentication } from "./recent-authentication";

const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);
const WINDOW = 10 * 60;

describe("isRecentAuthentication", () => {
  it("accepts an authentication inside the window, up to its last millisecond", () => {
    expect(isRecentAuthentication(NOW, WINDOW, NOW)).toBe(true);
    expect(isRecentAuthentication(NOW - 5 * 60_000, WINDOW, NOW)).toBe(true);
    expect(isRecentAuthentication(NOW - WINDOW * 1000, WINDOW, NOW)).toBe(true);
  });

  it("refuses one a millisecond older than the window", () => {
    expect(isRecentAuthentication(NOW - WINDOW * 1000 - 1, WINDOW, NOW)).toBe(false);
    expect(isRecentAuthentication(NOW - 24 * 3600_000, WINDOW, NOW)).toBe(false);
  });

  it("follows the configured window", () => {
    expect(isRecentAuthentication(NOW - 90_000, 60, NOW)).toBe(false);
    expect(isRecentAuthentication(NOW - 90_000, 120, NOW)).toBe(true);
  });

  it("allows a second of clock slack but refuses times in the future beyond it", () => {
    expect(isRecentAuthentication(NOW + 999, WINDOW, NOW)).toBe(true);
    expect(isRecentAuthentication(NOW + 60_000, WINDOW, NOW)).toBe(false);
  });

  it("refuses a missing or non-finite time", () => {
    expect(isRecentAuthentication(null, WINDOW, NOW)).toBe(false);
    expect(isRecentAuthentication(undefined, WINDOW, NOW)).toBe(false);
    expect(isRecentAuthentication(Number.NaN, WINDOW, NOW)).toBe(false);
    expect(isRecentAuthentication(Number.POSITIVE_INFINITY, WINDOW, NOW)).toBe(false);
  });
});

describe("isRecentAuthentication inputs (found by mutation testing)", () => {
  it("never takes a time given as a string, even a recent one", () => {
    expect(isRecentAuthentication(String(NOW) as never, WINDOW, NOW)).toBe(false);
  });

  it("allows exactly one second of clock slack into the future", () => {
    expect(isRecentAuthentication(NOW + 1000, WINDOW, NOW)).toBe(true);
    expect(isRecentAuthentication(NOW + 1001, WINDOW, NOW)).toBe(false);
  });
});
