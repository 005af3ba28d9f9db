import { describe, expect, it } from "vitest";
import { formatAbortReasonStacks } from "./render-abort-reasons";

describe("formatAbortReasonStacks", () => {
  it("formats an abort reason's stack when it is set, so its frames (and what they hold) are let go", () => {
    const prepare = Error.prepareStackTrace;
    let formatted = 0;
    Error.prepareStackTrace = (error, frames) => {
      formatted += 1;
      return prepare ? prepare(error, frames) : `${error}`;
    };
    try {
      formatAbortReasonStacks();
      formatAbortReasonStacks();
      const reason = new Error("This render completed successfully.");
      expect(formatted).toBe(0);
      const controller = new AbortController();
      controller.abort(reason);
      expect(formatted).toBe(1);
      expect(controller.signal.aborted).toBe(true);
      expect(controller.signal.reason).toBe(reason);
      new AbortController().abort("not an error");
      new AbortController().abort();
      expect(formatted).toBe(1);
    } finally {
      Error.prepareStackTrace = prepare;
    }
  });
});
