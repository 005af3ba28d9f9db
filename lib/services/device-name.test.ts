import { describe, expect, it } from "vitest";
import { describeDevice } from "./device-name";

describe("describeDevice", () => {
  it.each([
    ["Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Chrome on macOS"],
    ["Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox on Linux"],
    ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1", "Safari on iOS"],
    ["curl/8.4.0", "curl"],
    ["vitest", "vitest"],
    ["", "Unknown device"],
    [null, "Unknown device"],
    ["(((", "Unknown device"],
  ])("names %s as %s", (agent, expected) => {
    expect(describeDevice(agent)).toBe(expected);
  });

  it("says it in the reader's language, names and all", () => {
    const firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    expect(describeDevice(firefox, "de")).toBe("Firefox unter Linux");
    expect(describeDevice(null, "de")).toBe("Unbekanntes Gerät");
    expect(describeDevice("Mozilla/5.0 (X11; Linux x86_64)", "de")).toMatch(/^(Unbekannter Browser unter Linux|Mozilla unter Linux)$/);
  });
});
