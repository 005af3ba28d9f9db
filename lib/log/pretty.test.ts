import { describe, expect, it } from "vitest";
import { createLogger } from "./create-logger.mjs";
import { prettyDestination, prettyLine } from "./pretty.mjs";

function capture() {
  const lines: string[] = [];
  return { lines, output: { write: (text: string) => lines.push(text) } };
}

describe("development's readable log lines", () => {
  it("turns a request line into method, path, status and duration, keeping its id", () => {
    const { lines, output } = capture();
    const log = createLogger("info", prettyDestination(output, false));
    log.info({ reqId: "r1", method: "GET", path: "/login", status: 200, durationMs: 12.3 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d\d\d INFO  GET \/login 200 12\.3ms\n$/);
  });

  it("shows a message with its fields, redacted as in JSON, and no JSON braces", () => {
    const { lines, output } = capture();
    const log = createLogger("info", prettyDestination(output, false));
    log.warn({ mailId: "m1", password: "hunter2 hunter2", attempt: 3 }, "mail failed");
    expect(lines[0]).toContain("WARN  mail failed mailId=m1");
    expect(lines[0]).toContain("password=[redacted]");
    expect(lines[0]).toContain("attempt=3");
    expect(lines[0]).not.toContain("hunter2");
    expect(lines[0]).not.toContain('"level"');
  });

  it("colours only for a terminal, and passes through anything that isn't JSON", () => {
    expect(prettyLine(JSON.stringify({ level: "error", time: "2026-12-02T12:00:00.000Z", msg: "boom" }), true)).toContain("\u001b[31m");
    expect(prettyLine(JSON.stringify({ level: "error", time: "2026-12-02T12:00:00.000Z", msg: "boom" }), false)).toBe("12:00:00.000 ERROR boom");
    expect(prettyLine("plain text\n")).toBe("plain text");
  });
});
