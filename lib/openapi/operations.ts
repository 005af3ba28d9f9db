import { z } from "zod";
import type { ErrorCode } from "@/lib/errors";
import { apiKeyDtoSchema } from "@/lib/services/api-keys";
import { userPageSchema } from "@/lib/services/admin";
import { auditFeedEventSchema, auditFeedPageSchema } from "@/lib/services/audit-feed";
import { introspectionSchema } from "@/lib/services/introspection";
import { tokenResponseSchema } from "@/lib/services/refresh-tokens";
import { sessionViewSchema } from "@/lib/services/sessions";
import { userDtoSchema } from "@/lib/services/user-dto";
import { auditFeedQuerySchema, listUsersQuerySchema, updateUserSchema } from "@/lib/validations/admin";
import type { ApiKeyScope } from "@/lib/validations/api-key-scopes";
import {
  changePasswordSchema,
  createApiKeySchema,
  emailOnlySchema,
  passwordGrantSchema,
  refreshGrantFormSchema,
  refreshGrantSchema,
  resetPasswordSchema,
  revokeTokenFormSchema,
  revokeTokenSchema,
  signupSchema,
  tokenRequestSchema,
  verifyEmailSchema,
} from "@/lib/validations/auth";
import { introspectionRequestSchema } from "@/lib/validations/introspection";

/**
 * Who may call an operation, named after the guard its route handler calls (lib/http/authenticate.ts); the
 * document's security, its 401 and 403 answers and the route test's check of the handler all come from this.
 * - `public`: no credentials; `optional`: credentials or none (what the body says decides).
 * - `request`: an access token, an API key holding `scope`, or the session cookie.
 * - `admin`: the same, for an ADMIN.
 * - `person`: an access token or the session cookie, never an API key (`recent`: within the sudo window).
 * - `service`: only an API key holding `scope`.
 */
export type OperationAuth =
  | { guard: "public" }
  | { guard: "optional" }
  | { guard: "request"; scope: ApiKeyScope }
  | { guard: "admin"; scope: ApiKeyScope; recent?: "role_or_delete" }
  | { guard: "person"; scope?: ApiKeyScope; recent?: boolean }
  | { guard: "service"; scope: ApiKeyScope };

export type ApiOperation = {
  method: "get" | "post" | "patch" | "delete";
  /** As in the document: `{id}` for a path parameter. */
  path: string;
  operationId: string;
  tag: "Sign-up and sign-in" | "Account" | "API keys" | "Sessions" | "Administration" | "Token services" | "Discovery";
  summary: string;
  description?: string;
  auth: OperationAuth;
  /** A JSON body (and `form` for OAuth2 requests); `optional`: a call without a body is valid too. */
  body?: { json: z.ZodType; form?: z.ZodType; optional?: boolean };
  query?: z.ZodObject;
  pathParameter?: "id";
  /** The answers that aren't errors, by status, with their body (none for 204). */
  success: Partial<Record<200 | 201 | 202 | 204, { description: string; body?: z.ZodType; headers?: Record<string, string> }>>;
  /**
   * The codes this operation's own rules answer with. The ones every route of its kind can answer (a body that isn't
   * JSON, too large, no or a bad credential, a missing scope, the cross-site check, an outage) are added by the
   * document builder from `auth` and `body`.
   */
  errors: ErrorCode[];
  /** Words added to a status's description, where the code alone doesn't say when it happens. */
  notes?: Partial<Record<number, string>>;
  /** Form-encoded requests get RFC 6749 §5.2 errors (`OAuthError`) instead of `Error`. */
  oauthErrors?: boolean;
  /** Answers without touching the database: no 503. */
  static?: boolean;
  /** The body of its 503, when not `Error` (the health check's own). */
  outageBody?: z.ZodType;
};

const userBody = z.object({ user: userDtoSchema });
const jwksSchema = z.object({
  keys: z.array(
    z.object({ kty: z.literal("OKP"), crv: z.literal("Ed25519"), x: z.string(), kid: z.string(), alg: z.literal("EdDSA"), use: z.literal("sig") }),
  ),
});
const authorizationServerMetadataSchema = z.object({
  issuer: z.url(),
  token_endpoint: z.url(),
  revocation_endpoint: z.url(),
  introspection_endpoint: z.url(),
  jwks_uri: z.url(),
  grant_types_supported: z.array(z.string()),
  response_types_supported: z.array(z.string()),
  token_endpoint_auth_methods_supported: z.array(z.string()),
  revocation_endpoint_auth_methods_supported: z.array(z.string()),
  service_documentation: z.url(),
});

/** Response bodies that the document names as components, so generated clients get named types. */
export const NAMED_SCHEMAS = new Map<z.ZodType, string>([
  [userDtoSchema, "User"],
  [tokenResponseSchema, "Token"],
  [apiKeyDtoSchema, "ApiKey"],
  [introspectionSchema, "Introspection"],
  [sessionViewSchema, "Session"],
  [auditFeedEventSchema, "AuditEvent"],
]);

/** Every operation of the JSON API, in the order the reference shows them. The one list the document is built from. */
export function apiOperations(minPasswordLength: number): ApiOperation[] {
  return [
    {
      method: "post",
      path: "/api/v1/auth/signup",
      operationId: "signUp",
      tag: "Sign-up and sign-in",
      summary: "Create an account",
      auth: { guard: "public" },
      body: { json: signupSchema(minPasswordLength) },
      success: {
        201: { description: "Created", body: userBody },
        202: {
          description: "With AUTH_REQUIRE_EMAIL_VERIFICATION: the same answer for new and registered emails",
          body: z.object({ status: z.literal("verification_sent") }),
        },
      },
      errors: ["account_exists", "rate_limited"],
      notes: { 409: "email or username taken" },
    },
    {
      method: "post",
      path: "/api/v1/auth/token",
      operationId: "issueToken",
      tag: "Sign-up and sign-in",
      summary: "Exchange credentials, or a refresh token, for a 15-minute access token and a new refresh token",
      description:
        "The password grant starts a refresh-token family; the refresh grant rotates its refresh token (the one sent stops working; sending a rotated one again ends the whole family). A family lasts REFRESH_TOKEN_LIFETIME (30 days) and ends after REFRESH_TOKEN_IDLE_TIMEOUT (7 days) without a refresh; refreshed access tokens keep the sign-in's auth_time. Form-encoded requests (OAuth2 clients) get RFC 6749 errors (`OAuthError`): invalid_request, unsupported_grant_type, invalid_grant (also for a missing otp or an unverified address, said in error_description), temporarily_unavailable (429, 503), server_error.",
      auth: { guard: "public" },
      body: { json: z.union([tokenRequestSchema, refreshGrantSchema]), form: z.union([passwordGrantSchema, refreshGrantFormSchema]) },
      success: { 200: { description: "Access token and refresh token", body: tokenResponseSchema } },
      errors: ["invalid_credentials", "mfa_required", "email_not_verified", "account_suspended", "rate_limited"],
      notes: {
        400: "form: invalid_request, unsupported_grant_type, or invalid_grant for a refused grant",
        401: "JSON only: wrong credentials, a wrong or reused code, or an unknown, rotated, expired or locked-out refresh token",
        403: "the password was right, but an admin suspended the account; the message says until when (UTC); form: 400 invalid_grant",
      },
      oauthErrors: true,
    },
    {
      method: "post",
      path: "/api/v1/auth/revoke",
      operationId: "revokeTokens",
      tag: "Sign-up and sign-in",
      summary: "End every session and access token of the user; with a token in the body (RFC 7009), only that token's family",
      description:
        "With {token} (JSON, or token=… form-encoded) no authentication is needed: the refresh token's family (or an access token's) ends, and nothing else; unknown tokens get 204 too. Without a body, the authenticated caller's sessions and tokens all end.",
      auth: { guard: "optional" },
      body: { json: revokeTokenSchema, form: revokeTokenFormSchema, optional: true },
      success: { 204: { description: "Revoked" } },
      errors: [],
      notes: {
        401: "no body and no credentials",
        415: "neither JSON nor form-encoded; without a token, a call carrying the session cookie must say application/json (an empty body is fine)",
      },
      oauthErrors: true,
    },
    {
      method: "post",
      path: "/api/v1/auth/password/forgot",
      operationId: "requestPasswordReset",
      tag: "Sign-up and sign-in",
      summary: "Mail a password reset link (the same answer for every address)",
      auth: { guard: "public" },
      body: { json: emailOnlySchema },
      success: { 202: { description: "Accepted", body: z.object({ status: z.literal("accepted") }) } },
      errors: ["rate_limited"],
    },
    {
      method: "post",
      path: "/api/v1/auth/password/reset",
      operationId: "resetPassword",
      tag: "Sign-up and sign-in",
      summary: "Set a new password with a mailed token; every session and token of the user ends",
      auth: { guard: "public" },
      body: { json: resetPasswordSchema(minPasswordLength) },
      success: { 204: { description: "Reset" } },
      errors: ["invalid_token"],
    },
    {
      method: "post",
      path: "/api/v1/auth/email/verify",
      operationId: "verifyEmail",
      tag: "Sign-up and sign-in",
      summary: "Confirm an email address with a mailed token",
      auth: { guard: "public" },
      body: { json: verifyEmailSchema },
      success: { 204: { description: "Confirmed" } },
      errors: ["invalid_token"],
    },
    {
      method: "get",
      path: "/api/v1/me",
      operationId: "getMe",
      tag: "Account",
      summary: "The authenticated user",
      auth: { guard: "request", scope: "profile:read" },
      success: { 200: { description: "The user", body: userBody } },
      errors: [],
    },
    {
      method: "post",
      path: "/api/v1/auth/password/change",
      operationId: "changePassword",
      tag: "Account",
      summary: "Change the password; other sessions and tokens stop working",
      auth: { guard: "person" },
      body: { json: changePasswordSchema(minPasswordLength) },
      success: { 204: { description: "Changed" } },
      errors: ["invalid_credentials", "rate_limited"],
      notes: { 401: "or the current password is wrong", 429: "too many wrong passwords for this account or address" },
    },
    {
      method: "get",
      path: "/api/v1/api-keys",
      operationId: "listApiKeys",
      tag: "API keys",
      summary: "The caller's API keys (never the keys themselves)",
      auth: { guard: "request", scope: "keys:manage" },
      success: { 200: { description: "Keys", body: z.object({ apiKeys: z.array(apiKeyDtoSchema) }) } },
      errors: [],
    },
    {
      method: "post",
      path: "/api/v1/api-keys",
      operationId: "createApiKey",
      tag: "API keys",
      summary: "Create an API key; the full key is in this response only",
      description:
        '`scopes` defaults to `["profile:read"]`; `admin:users:read` and `admin:users:write` only for admins. An unknown scope, an empty list or one beyond the caller\'s role is 400 validation_error on `scopes`; so is a 51st key, on `name`.',
      auth: { guard: "person", scope: "keys:manage", recent: true },
      body: { json: createApiKeySchema },
      success: {
        201: { description: "Created", body: z.object({ apiKey: apiKeyDtoSchema, key: z.string().regex(/^lk_[0-9A-Za-z]{43}$/) }) },
      },
      errors: [],
    },
    {
      method: "delete",
      path: "/api/v1/api-keys/{id}",
      operationId: "revokeApiKey",
      tag: "API keys",
      summary: "Revoke one of the caller's API keys",
      auth: { guard: "person", scope: "keys:manage", recent: true },
      pathParameter: "id",
      success: { 204: { description: "Revoked" } },
      errors: ["not_found"],
      notes: { 404: "no such key of yours (a malformed id too)" },
    },
    {
      method: "get",
      path: "/api/v1/sessions",
      operationId: "listSessions",
      tag: "Sessions",
      summary: "Where the caller is signed in: live browser sessions and API sign-ins, most recently used first",
      description:
        "`kind` is browser or api; `device` is read from the user agent (\"Chrome on macOS\"); `lastUsedAt` is a browser's last request (written at most every 5 minutes) and an API sign-in's (a refresh-token family's) last refresh; `current` marks the session of this request.",
      auth: { guard: "person" },
      success: { 200: { description: "Sessions", body: z.object({ sessions: z.array(sessionViewSchema) }) } },
      errors: [],
    },
    {
      method: "delete",
      path: "/api/v1/sessions/{id}",
      operationId: "endSession",
      tag: "Sessions",
      summary: "End one of the caller's sessions (the caller's own too): its cookie or token fails on its next request",
      auth: { guard: "person" },
      pathParameter: "id",
      success: { 204: { description: "Ended" } },
      errors: ["not_found"],
      notes: { 404: "no such session of yours (a malformed id too)" },
    },
    {
      method: "get",
      path: "/api/v1/admin/users",
      operationId: "listUsers",
      tag: "Administration",
      summary: "List and search users (ADMIN)",
      auth: { guard: "admin", scope: "admin:users:read" },
      query: listUsersQuerySchema,
      success: { 200: { description: "A page of users", body: userPageSchema } },
      errors: [],
    },
    {
      method: "patch",
      path: "/api/v1/admin/users/{id}",
      operationId: "updateUser",
      tag: "Administration",
      summary: "Change a user's role, lock, or suspension (ADMIN)",
      description:
        "`suspendedUntil`: an ISO 8601 time in the future suspends the user until then (every session and token ends at once, sign-in and API keys are refused, the user is mailed; it lifts itself at that time); `null` lifts it. `suspensionReason` (up to 500 characters) goes with a time, and is mailed to the user. `locked: true` is a suspension until lifted.",
      auth: { guard: "admin", scope: "admin:users:write", recent: "role_or_delete" },
      pathParameter: "id",
      body: { json: updateUserSchema },
      success: { 200: { description: "Updated", body: userBody } },
      errors: ["last_admin", "self_removal", "self_lock", "not_found"],
      notes: {
        403: "the change would leave no admin, or an admin locking, suspending or demoting themselves (all sent as forbidden)",
        404: "no such user (a malformed id too)",
      },
    },
    {
      method: "delete",
      path: "/api/v1/admin/users/{id}",
      operationId: "deleteUser",
      tag: "Administration",
      summary: "Delete a user (ADMIN)",
      auth: { guard: "admin", scope: "admin:users:write", recent: "role_or_delete" },
      pathParameter: "id",
      success: { 204: { description: "Deleted" } },
      errors: ["last_admin", "self_removal", "not_found"],
      notes: { 403: "the deletion would leave no admin, or an admin deleting themselves (sent as forbidden)", 404: "no such user (a malformed id too)" },
    },
    {
      method: "get",
      path: "/api/v1/admin/audit",
      operationId: "listAuditEvents",
      tag: "Administration",
      summary: "The audit log, newest first, with cursor pagination (ADMIN)",
      description:
        "Filters are exact: `type` (an event type), `actor` and `target` (user ids), `since` (included) and `until` (excluded) as ISO 8601 times or days. Pass `nextCursor` back as `cursor` for the next page; it is null on the last. Events written meanwhile never shift or repeat a page. `count` and `lastAt`: repeats merged into the event (createdAt is the first).",
      auth: { guard: "admin", scope: "admin:users:read" },
      query: auditFeedQuerySchema,
      success: {
        200: { description: "A page of events", body: auditFeedPageSchema },
      },
      errors: [],
      notes: { 400: "a bad time, type, cursor or limit" },
    },
    {
      method: "post",
      path: "/api/v1/auth/introspect",
      operationId: "introspectToken",
      tag: "Token services",
      summary: "Token introspection (RFC 7662): is this access token, refresh token or API key live, and whose is it?",
      description:
        "For services holding an API key with `tokens:introspect`. Anything forged, expired, revoked, of a locked user or of a kind Latchkey doesn't issue is `{\"active\": false}` and nothing more. Access tokens and the session cookie can't call this route (403 insufficient_scope).",
      auth: { guard: "service", scope: "tokens:introspect" },
      body: { json: introspectionRequestSchema, form: introspectionRequestSchema },
      success: { 200: { description: "The token's state", body: introspectionSchema } },
      errors: [],
    },
    {
      method: "get",
      path: "/.well-known/jwks.json",
      operationId: "getJsonWebKeySet",
      tag: "Discovery",
      summary: "The public keys that sign access tokens (JWKS); cacheable for 5 minutes",
      auth: { guard: "public" },
      success: { 200: { description: "The active key and those whose tokens may still be valid", body: jwksSchema } },
      errors: [],
    },
    {
      method: "get",
      path: "/.well-known/oauth-authorization-server",
      operationId: "getAuthorizationServerMetadata",
      tag: "Discovery",
      summary: "Authorization server metadata (RFC 8414): issuer, endpoints, jwks_uri",
      auth: { guard: "public" },
      success: { 200: { description: "Metadata; URLs are absolute under AUTH_URL", body: authorizationServerMetadataSchema } },
      errors: [],
      static: true,
    },
    {
      method: "get",
      path: "/api/v1/openapi.json",
      operationId: "getOpenApiDocument",
      tag: "Discovery",
      summary: "This document",
      auth: { guard: "public" },
      success: { 200: { description: "OpenAPI 3.1", body: z.record(z.string(), z.unknown()) } },
      errors: [],
      static: true,
    },
    {
      method: "get",
      path: "/api/health",
      operationId: "getHealth",
      tag: "Discovery",
      summary: "Liveness and database reachability",
      auth: { guard: "public" },
      success: { 200: { description: "Healthy", body: z.object({ status: z.literal("ok") }) } },
      errors: [],
      outageBody: z.object({ status: z.literal("unavailable") }),
      notes: { 503: "the database is unreachable" },
    },
  ];
}
