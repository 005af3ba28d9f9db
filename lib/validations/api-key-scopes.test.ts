import { describe, expect, it } from "vitest";
import { createApiKeyFormSchema, createApiKeySchema } from "./auth";
import { scopesAllowedFor } from "./api-key-scopes";

describe("API key scopes", () => {
  it("admin scopes are for admins only; everyone may read the profile, list keys and introspect", () => {
    expect(scopesAllowedFor("USER")).toEqual(["profile:read", "keys:manage", "tokens:introspect"]);
    expect(scopesAllowedFor("ADMIN")).toEqual(["profile:read", "keys:manage", "admin:users:read", "admin:users:write", "tokens:introspect"]);
  });

  it("the form reads a checkbox group however the browser side holds it; the API wants a list", () => {
    const form = (scopes: unknown) => createApiKeyFormSchema.safeParse({ name: "k", expiresInDays: "", scopes });
    expect(form("profile:read").data?.scopes).toEqual(["profile:read"]);
    expect(form(["profile:read", "keys:manage"]).data?.scopes).toEqual(["profile:read", "keys:manage"]);
    expect(form(false).error?.issues[0].message).toBe("fieldErrors.scopesRequired");
    expect(form(["root"]).success).toBe(false);
    expect(createApiKeySchema.safeParse({ name: "k", scopes: "profile:read" }).success).toBe(false);
    expect(createApiKeySchema.safeParse({ name: "k" }).success).toBe(true);
  });
});
