import { describe, expect, it } from "vitest";
import { activeSuspension, isBlocked } from "./suspension";

describe("suspension", () => {
  const now = Date.parse("2026-12-02T12:00:00Z");
  it("runs until its end and lifts itself at it", () => {
    const until = new Date(now + 1000);
    expect(activeSuspension(until, now)).toBe(until);
    expect(activeSuspension(until, now + 1000)).toBeNull();
    expect(activeSuspension(null, now)).toBeNull();
  });
  it("blocks like a lock while it runs", () => {
    expect(isBlocked({ lockedAt: null, suspendedUntil: new Date(now + 1) }, now)).toBe(true);
    expect(isBlocked({ lockedAt: null, suspendedUntil: new Date(now - 1) }, now)).toBe(false);
    expect(isBlocked({ lockedAt: new Date(now - 1), suspendedUntil: null }, now)).toBe(true);
    expect(isBlocked({ lockedAt: null, suspendedUntil: null }, now)).toBe(false);
  });
});
