import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ApiError, zodFieldErrors } from "./api-error";

describe("ApiError", () => {
  it("renders the contract's error shape, with fields only for validation errors", () => {
    expect(ApiError.forbidden().toBody()).toEqual({
      error: { code: "forbidden", message: "You do not have permission to do this" },
    });
    expect(ApiError.validation({ email: ["Bad"] }).toBody().error.fields).toEqual({ email: ["Bad"] });
  });
});

describe("zodFieldErrors", () => {
  it("collects every error and names unknown keys", () => {
    const schema = z.strictObject({ a: z.string(), b: z.number() });
    const result = schema.safeParse({ a: 1, b: "x", role: "ADMIN" });
    expect(result.success).toBe(false);
    const fields = zodFieldErrors(result.error!);
    expect(Object.keys(fields).sort()).toEqual(["a", "b", "role"]);
    expect(fields.role).toEqual(["Unknown field"]);
  });
});
