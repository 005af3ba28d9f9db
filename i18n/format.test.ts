import { describe, expect, it } from "vitest";
import { formatTimestamp, formatUtcMinute } from "./format";

const MOMENT = "2026-12-03T07:33:59.000Z";

describe("formatTimestamp", () => {
  it("writes a moment in the reader's language, to the minute, in UTC with the zone named", () => {
    expect(formatTimestamp(MOMENT, "en")).toBe("Dec 3, 2026, 07:33 UTC");
    expect(formatTimestamp(MOMENT, "de")).toBe("3. Dez. 2026, 07:33 UTC");
  });

  it("writes a date without a time, the UTC date even when it is already tomorrow elsewhere", () => {
    expect(formatTimestamp("2026-12-03T23:30:00.000Z", "en", "day")).toBe("Dec 3, 2026");
    expect(formatTimestamp("2026-12-03T23:30:00.000Z", "de", "day")).toBe("3. Dez. 2026");
  });

  it("takes a Date as well as an ISO string", () => {
    expect(formatTimestamp(new Date(MOMENT), "en")).toBe(formatTimestamp(MOMENT, "en"));
  });
});

describe("formatUtcMinute", () => {
  it("is the ISO moment to the minute in UTC, the same in every language", () => {
    expect(formatUtcMinute(new Date(MOMENT))).toBe("2026-12-03 07:33");
  });
});
