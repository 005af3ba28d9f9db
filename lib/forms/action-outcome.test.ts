import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/errors";
import { DatabaseUnavailableError } from "@/lib/services/errors";
import { unavailableMessage, attempt, attemptForm, attemptNotice } from "./action-outcome";

const fail = (error: unknown) => async () => {
  throw error;
};

describe("the outcome of a server action's work", () => {
  it("passes anything that is neither a coded error nor an outage on up: a redirect from a guard, a bug", async () => {
    const redirect = Object.assign(new Error("NEXT_REDIRECT"), { digest: "NEXT_REDIRECT;replace;/login;307;" });
    await expect(attempt(fail(redirect))).rejects.toBe(redirect);
    await expect(attempt(fail(new TypeError("bug")))).rejects.toThrow("bug");
  });

  it("turns a coded error into the form's message and field errors, a rate limit into how long to wait", async () => {
    const wrong = ApiError.of("invalid_credentials", { message: "Current password is incorrect", fields: { password: ["Current password is incorrect"] } });
    expect(await attemptForm(fail(wrong), { email: "a@example.com" })).toEqual({
      ok: false,
      state: { status: "error", message: "Current password is incorrect", fieldErrors: { password: ["Current password is incorrect"] }, values: { email: "a@example.com" } },
    });
    expect(await attemptForm(fail(ApiError.rateLimited(120)))).toMatchObject({ ok: false, state: { message: "Too many attempts. Try again in 2 minutes." } });
  });

  it("turns an outage into the outage message on a form and the outage notice on a button", async () => {
    expect(await attemptForm(fail(new DatabaseUnavailableError()))).toEqual({ ok: false, state: { status: "error", message: unavailableMessage() } });
    expect(await attemptNotice(fail(new DatabaseUnavailableError()), { ok: "passkey-removed" })).toBe("unavailable");
  });

  it("chooses a button's notice by the error's code, with a refusal (never the success) for codes it doesn't name", async () => {
    const notices = { ok: "passkey-removed", not_found: "passkey-not-found" } as const;
    expect(await attemptNotice(async () => undefined, notices)).toBe("passkey-removed");
    expect(await attemptNotice(fail(ApiError.notFound("passkey")), notices)).toBe("passkey-not-found");
    expect(await attemptNotice(fail(ApiError.forbidden()), notices)).toBe("failed");
    expect(await attemptNotice(fail(ApiError.forbidden()), { ...notices, failed: "invalid" })).toBe("invalid");
  });
});
