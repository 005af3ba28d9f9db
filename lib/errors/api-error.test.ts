import { describe, expect, it } from "vitest";
import { z } from "zod";
import { translator } from "@/i18n/translate";
import { ApiError, ERROR_CODES, zodFieldErrors, type ErrorCode } from "@/lib/errors";

describe("ApiError", () => {
  it("renders the contract's error shape, with fields only for validation errors", () => {
    expect(ApiError.forbidden().toBody()).toEqual({
      error: { code: "forbidden", message: "You do not have permission to do this" },
    });
    expect(ApiError.validation({ email: ["Bad"] }).toBody().error.fields).toEqual({ email: ["Bad"] });
  });

  it("takes its status and default message from the registry, for every code", () => {
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
      const error = ApiError.of(code);
      expect(error.status).toBe(ERROR_CODES[code].status);
      expect(error.toBody().error).toEqual({ code: error.code, message: ERROR_CODES[code].message });
      expect(error.code).toMatch(/^[a-z]+(_[a-z]+)*$/);
    }
  });

  it("sends the admin's finer refusals as the contract's forbidden, keeping the reason for the pages", () => {
    const lastAdmin = ApiError.of("last_admin");
    expect(lastAdmin.toBody().error.code).toBe("forbidden");
    expect(lastAdmin.status).toBe(403);
    expect(lastAdmin.reason).toBe("last_admin");
  });

  it("keeps the registry's headers and adds the caller's", () => {
    expect(ApiError.unauthorized().headers).toEqual({ "WWW-Authenticate": 'Bearer realm="latchkey"' });
    expect(ApiError.rateLimited(7).headers).toEqual({ "Retry-After": "7" });
    expect(ApiError.of("not_found").headers).toBeUndefined();
  });
});

describe("zodFieldErrors", () => {
  it("collects every error and names unknown keys", () => {
    const schema = z.strictObject({ a: z.string(), b: z.number() });
    const result = schema.safeParse({ a: 1, b: "x", role: "ADMIN" });
    expect(result.success).toBe(false);
    const fields = zodFieldErrors(result.error!);
    expect(Object.keys(fields).sort()).toEqual(["a", "b", "role"]);
    expect(fields.role).toEqual(["fieldErrors.unknownField"]);
    expect(ApiError.validation(fields).toBody().error.fields?.role).toEqual(["Unknown field"]);
  });
});

describe("the error body in the reader's language", () => {
  it("says the registry's message and the field errors in German, keeping the code and any message set by hand", () => {
    const de = translator("de");
    expect(ApiError.invalidCredentials().toBody(de).error).toEqual({ code: "invalid_credentials", message: "E-Mail-Adresse/Benutzername oder Passwort ist falsch" });
    expect(ApiError.validation({ email: ["fieldErrors.emailInvalid"] }).toBody(de).error.fields).toEqual({ email: ["Bitte geben Sie eine gültige E-Mail-Adresse ein"] });
    expect(ApiError.of("not_found", { message: "Passkey not found" }).toBody(de).error.message).toBe("Passkey not found");
    expect(ApiError.notFound("passkey").toBody().error.message).toBe("Passkey not found");
    expect(ApiError.notFound("passkey").toBody(de).error.message).toBe("Passkey nicht gefunden");
    expect(ApiError.notFound().toBody(de).error).toEqual({ code: "not_found", message: de("errors.not_found") });
    expect(ApiError.validation({ password: ["fieldErrors.passwordTooShort"] }).toBody().error.fields).toEqual({ password: ["Password must be at least 15 characters"] });
  });
});

describe("a service's own words for a code travel as catalogue keys", () => {
  it("become the reader's words in the body and the fields, and never reach anyone as a key", () => {
    const taken = ApiError.of("invalid_token", { message: "errors.address_taken" });
    expect(taken.toBody().error.message).toBe("That address now belongs to another account");
    expect(taken.toBody(translator("de")).error.message).toBe("Diese Adresse gehört inzwischen zu einem anderen Konto");
    const same = ApiError.validation({ newEmail: ["fieldErrors.sameEmail"] });
    expect(same.toBody().error.fields).toEqual({ newEmail: ["That is already your email address"] });
    expect(same.toBody(translator("de")).error.fields).toEqual({ newEmail: ["Das ist bereits Ihre E-Mail-Adresse"] });
    expect(ApiError.of("account_exists", { message: "errors.username_taken" }).toBody(translator("de")).error.message).toBe(
      "Dieser Benutzername gehört bereits zu einem anderen Konto",
    );
  });
});
