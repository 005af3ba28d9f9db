import { z } from "zod";

/**
 * What an API key may do, one scope per kind of route. Access tokens and session cookies are not scoped: they act
 * with the user's full rights. A key never does more than its owner's current role allows either.
 */
export const API_KEY_SCOPES = ["profile:read", "keys:manage", "admin:users:read", "admin:users:write", "tokens:introspect"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
export const DEFAULT_API_KEY_SCOPES: ApiKeyScope[] = ["profile:read"];

/** For the OpenAPI document, which is English only; the account page says them from the catalogues. */
export const API_KEY_SCOPE_DESCRIPTIONS: Record<ApiKeyScope, string> = {
  "profile:read": "Read your profile (/api/v1/me)",
  "keys:manage": "List your API keys",
  "admin:users:read": "List and search users (admin)",
  "admin:users:write": "Change, lock and delete users (admin)",
  "tokens:introspect": "Check other tokens (introspection, for your services)",
};

const ADMIN_ONLY_SCOPES: ReadonlySet<ApiKeyScope> = new Set(["admin:users:read", "admin:users:write"]);

/** The scopes a key of an owner with this role may hold. */
export function scopesAllowedFor(role: "USER" | "ADMIN"): ApiKeyScope[] {
  return API_KEY_SCOPES.filter((scope) => role === "ADMIN" || !ADMIN_ONLY_SCOPES.has(scope));
}

export function isApiKeyScope(value: string): value is ApiKeyScope {
  return (API_KEY_SCOPES as readonly string[]).includes(value);
}

export const apiKeyScopesField = z
  .array(z.enum(API_KEY_SCOPES, { error: `Each scope must be one of ${API_KEY_SCOPES.join(", ")}` }), { error: "Scopes must be a list" })
  .min(1, "fieldErrors.scopesRequired")
  .max(API_KEY_SCOPES.length * 2, "fieldErrors.scopesTooMany");
