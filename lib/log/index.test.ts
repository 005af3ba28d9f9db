import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./create-logger.mjs";
import { describeError, requestLogger } from "./index";

function capture(level = "info") {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).trim().split("\n"));
      done();
    },
  });
  return { log: createLogger(level, destination), lines: () => lines.map((line) => JSON.parse(line)) };
}

describe("logger", () => {
  it("writes one JSON object per line with a level name and an ISO time", () => {
    const { log, lines } = capture();
    log.info({ reqId: "r-1" }, "hello");
    expect(lines()).toEqual([expect.objectContaining({ level: "info", msg: "hello", reqId: "r-1", service: "latchkey", time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) })]);
  });

  it("never writes password, token, secret, cookie or authorization fields, even when a caller passes them", () => {
    const { log, lines } = capture();
    log.info({ password: "hunter2-hunter2", body: { token: "tok-123", password: "pw-456" }, headers: { authorization: "Bearer abc", cookie: "a=b" }, secret: "s3" });
    const text = JSON.stringify(lines());
    for (const value of ["hunter2-hunter2", "tok-123", "pw-456", "Bearer abc", "a=b", "s3\""]) expect(text).not.toContain(value);
    expect(text).toContain("[redacted]");
  });

  it("follows the level it was given", () => {
    const { log, lines } = capture("warn");
    log.info("quiet");
    log.warn("loud");
    expect(lines().map((line) => line.msg)).toEqual(["loud"]);
  });

  it("tags request lines with the request id and describes errors without their stack", () => {
    expect(requestLogger(new Headers({ "x-request-id": "abc" })).bindings()).toMatchObject({ reqId: "abc" });
    expect(describeError(new TypeError("bad"))).toEqual({ name: "TypeError", message: "bad" });
  });
});
