import { z } from "zod";
import { ACCESS_TOKEN_TTL_SECONDS } from "@/lib/crypto/access-token";
import { auditFeedQuerySchema, listUsersQuerySchema, roleField, updateUserSchema } from "@/lib/validations/admin";
import {
  changePasswordSchema,
  createApiKeySchema,
  emailOnlySchema,
  tokenRequestSchema,
  passwordGrantSchema,
  refreshGrantFormSchema,
  refreshGrantSchema,
  resetPasswordSchema,
  revokeTokenFormSchema,
  revokeTokenSchema,
  signupSchema,
  verifyEmailSchema,
} from "@/lib/validations/auth";
import { API_KEY_SCOPES, API_KEY_SCOPE_DESCRIPTIONS, type ApiKeyScope } from "@/lib/validations/api-key-scopes";
import { introspectionRequestSchema } from "@/lib/validations/introspection";

const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  email: z.email(),
  role: roleField,
  emailVerified: z.boolean(),
  createdAt: z.iso.datetime(),
});

const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.array(z.string())).optional(),
  }),
});

const tokenSchema = z.object({
  access_token: z.string(),
  token_type: z.literal("Bearer"),
  expires_in: z.literal(ACCESS_TOKEN_TTL_SECONDS),
  refresh_token: z.string().describe("lkr_ + 43 base64url characters; single use: a refresh returns a new one"),
});

/** RFC 6749 §5.2: what form-encoded (OAuth2) token and revocation requests get instead of `Error`. */
const oauthErrorSchema = z.object({
  error: z.enum(["invalid_request", "invalid_grant", "unsupported_grant_type", "temporarily_unavailable", "server_error"]),
  error_description: z.string(),
});

const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.enum(API_KEY_SCOPES)),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  expiresAt: z.iso.datetime().nullable(),
});

const introspectionSchema = z.object({
  active: z.boolean(),
  token_type: z.enum(["access_token", "api_key", "refresh_token"]).optional(),
  sub: z.string().optional(),
  username: z.string().optional(),
  scope: z.string().optional().describe("Space-separated scopes; for an access token, what its user's role allows"),
  iss: z.string().optional(),
  aud: z.union([z.string(), z.array(z.string())]).optional(),
  iat: z.number().int().optional(),
  exp: z.number().int().optional().describe("Absent for an API key that never expires"),
  auth_time: z.number().int().optional(),
});

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

const sessionSchema = z.object({
  id: z.string(),
  kind: z.enum(["browser", "api"]),
  device: z.string(),
  ip: z.string().nullable(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime(),
  current: z.boolean(),
});

const auditEventSchema = z.object({
  id: z.string(),
  type: z.string(),
  actorId: z.string().nullable(),
  targetId: z.string().nullable(),
  ip: z.string().nullable(),
  createdAt: z.iso.datetime(),
  detail: z.record(z.string(), z.unknown()).nullable(),
  count: z.number().int(),
  lastAt: z.iso.datetime(),
});

const schema = (type: z.ZodType) => z.toJSONSchema(type, { io: "input", unrepresentable: "any" });
const jsonContent = (type: z.ZodType) => ({ "application/json": { schema: schema(type) } });
const error = (description: string) => ({ description, content: jsonContent(errorSchema) });
/** JSON requests get `Error`, form-encoded ones `OAuthError`. */
const eitherError = (description: string) => ({ description, content: jsonContent(z.union([errorSchema, oauthErrorSchema])) });
const ok = (description: string, type?: z.ZodType) => ({ description, ...(type && { content: jsonContent(type) }) });
const bearer = [{ bearerAuth: [] }, { sessionCookie: [] }];
const person = [{ accessToken: [] }, { sessionCookie: [] }];
/** The 403 a key without the route's scope gets (with `WWW-Authenticate: Bearer error="insufficient_scope", scope=…`). */
const scopeNote = (scope: ApiKeyScope) => `insufficient_scope: an API key without ${scope}`;
/** Where API keys are accepted, the scope they need (the apiKey scheme's "scopes" in OpenAPI terms). */
const withKey = (scope: ApiKeyScope) => [{ accessToken: [] }, { apiKey: [scope] }, { sessionCookie: [] }];
const SUDO_403 = "Called with an API key (forbidden), or reauthentication_required: the access token's auth_time or the session's last sign-in is older than the sudo window (AUTH_SUDO_WINDOW)";

export function buildOpenApiDocument(minPasswordLength: number) {
  return {
    openapi: "3.1.0",
    info: {
      title: "Latchkey API",
      version: "1.0.0",
      description: "Signup, login and account management. Errors always use the `Error` shape.",
    },
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT or lk_ API key" },
        accessToken: { type: "http", scheme: "bearer", bearerFormat: "JWT (not an API key)" },
        apiKey: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "lk_ API key",
          description: `An API key, limited to its scopes: ${API_KEY_SCOPES.map((scope) => `\`${scope}\` (${API_KEY_SCOPE_DESCRIPTIONS[scope]})`).join(", ")}. A key without the scope an operation names gets 403 insufficient_scope.`,
        },
        sessionCookie: { type: "apiKey", in: "cookie", name: "authjs.session-token" },
      },
      schemas: {
        User: schema(userSchema),
        Error: schema(errorSchema),
        Token: schema(tokenSchema),
        OAuthError: schema(oauthErrorSchema),
        ApiKey: schema(apiKeySchema),
        Introspection: schema(introspectionSchema),
      },
    },
    paths: {
      "/api/v1/auth/signup": {
        post: {
          summary: "Create an account",
          requestBody: { required: true, content: jsonContent(signupSchema(minPasswordLength)) },
          responses: {
            201: ok("Created", z.object({ user: userSchema })),
            202: ok(
              "With AUTH_REQUIRE_EMAIL_VERIFICATION: the same answer for new and registered emails",
              z.object({ status: z.literal("verification_sent") }),
            ),
            400: error("Invalid input"),
            409: error("Email or username taken (account_exists)"),
            413: error("Body over 16 KB"),
            415: error("Not JSON"),
            429: error("Too many signups (rate_limited)"),
          },
        },
      },
      "/api/v1/auth/token": {
        post: {
          summary: "Exchange credentials, or a refresh token, for a 15-minute access token and a new refresh token",
          description:
            "The password grant starts a refresh-token family; the refresh grant rotates its refresh token (the one sent stops working; sending a rotated one again ends the whole family). A family lasts REFRESH_TOKEN_LIFETIME (30 days) and ends after REFRESH_TOKEN_IDLE_TIMEOUT (7 days) without a refresh; refreshed access tokens keep the sign-in's auth_time. Form-encoded requests get RFC 6749 errors (OAuthError): invalid_request, unsupported_grant_type, invalid_grant (also for a missing otp or an unverified address, said in error_description), temporarily_unavailable (429, 503), server_error.",
          requestBody: {
            required: true,
            content: {
              ...jsonContent(z.union([tokenRequestSchema, refreshGrantSchema])),
              "application/x-www-form-urlencoded": { schema: schema(z.union([passwordGrantSchema, refreshGrantFormSchema])) },
            },
          },
          responses: {
            200: ok("Access token and refresh token", tokenSchema),
            400: eitherError("JSON: invalid_json or validation_error. Form: invalid_request, unsupported_grant_type, or invalid_grant for a refused grant"),
            401: error(
              "JSON only: wrong credentials, a wrong or reused code, or an unknown, rotated, expired or locked-out refresh token (invalid_credentials); email_not_verified when confirmation is required; mfa_required when the account has two-factor authentication and no otp was sent",
            ),
            403: eitherError("account_suspended (form: 400 invalid_grant): the password was right, but an admin suspended the account; the message says until when (UTC)"),
            413: eitherError("Body over 16 KB"),
            415: error("Neither JSON nor form-encoded"),
            429: eitherError("Too many attempts (rate_limited; form: temporarily_unavailable), see Retry-After"),
          },
        },
      },
      "/api/v1/me": {
        get: {
          summary: "The authenticated user",
          security: withKey("profile:read"),
          responses: {
            200: ok("The user", z.object({ user: userSchema })),
            401: error("Not authenticated"),
            403: error(scopeNote("profile:read")),
          },
        },
      },
      "/api/v1/auth/revoke": {
        post: {
          summary: "End every session and access token of the user; with a token in the body (RFC 7009), only that token's family",
          description:
            "With {token} (JSON, or token=… form-encoded) no authentication is needed: the refresh token's family (or an access token's) ends, and nothing else; unknown tokens get 204 too. Without a body, the authenticated caller's sessions and tokens all end.",
          security: [...bearer, {}],
          requestBody: {
            required: false,
            content: {
              ...jsonContent(revokeTokenSchema),
              "application/x-www-form-urlencoded": { schema: schema(revokeTokenFormSchema) },
            },
          },
          responses: {
            204: ok("Revoked"),
            400: eitherError("A body without a token (validation_error; form: invalid_request)"),
            401: error("No body and not authenticated"),
            415: error("Neither JSON nor form-encoded"),
          },
        },
      },
      "/api/v1/auth/password/change": {
        post: {
          summary: "Change the password; other sessions and tokens stop working",
          security: bearer,
          requestBody: { required: true, content: jsonContent(changePasswordSchema(minPasswordLength)) },
          responses: {
            204: ok("Changed"),
            400: error("Invalid input"),
            401: error("Wrong current password (invalid_credentials)"),
            429: error("Too many wrong passwords for this account or address (rate_limited), see Retry-After"),
          },
        },
      },
      "/api/v1/auth/password/forgot": {
        post: {
          summary: "Mail a password reset link (the same answer for every address)",
          requestBody: { required: true, content: jsonContent(emailOnlySchema) },
          responses: {
            202: ok("Accepted", z.object({ status: z.literal("accepted") })),
            400: error("Invalid input"),
            429: error("Too many requests (rate_limited, with Retry-After)"),
          },
        },
      },
      "/api/v1/auth/password/reset": {
        post: {
          summary: "Set a new password with a mailed token; every session and token of the user ends",
          requestBody: { required: true, content: jsonContent(resetPasswordSchema(minPasswordLength)) },
          responses: { 204: ok("Reset"), 400: error("invalid_token or validation_error") },
        },
      },
      "/api/v1/auth/email/verify": {
        post: {
          summary: "Confirm an email address with a mailed token",
          requestBody: { required: true, content: jsonContent(verifyEmailSchema) },
          responses: { 204: ok("Confirmed"), 400: error("invalid_token") },
        },
      },
      "/api/v1/api-keys": {
        get: {
          summary: "The caller's API keys (never the keys themselves)",
          security: withKey("keys:manage"),
          responses: {
            200: ok("Keys", z.object({ apiKeys: z.array(apiKeySchema) })),
            401: error("Not authenticated"),
            403: error(scopeNote("keys:manage")),
          },
        },
        post: {
          summary: "Create an API key; the full key is in this response only",
          description:
            "`scopes` defaults to `[\"profile:read\"]`; `admin:users:read` and `admin:users:write` only for admins. An unknown scope, an empty list or one beyond the caller's role is 400 validation_error on `scopes`.",
          security: person,
          requestBody: { required: true, content: jsonContent(createApiKeySchema) },
          responses: {
            201: ok("Created", z.object({ apiKey: apiKeySchema, key: z.string().regex(/^lk_[0-9A-Za-z]{43}$/) })),
            400: error("Invalid input, including scopes the caller's role can't grant"),
            401: error("Not authenticated"),
            403: error(`${SUDO_403}; ${scopeNote("keys:manage")}`),
          },
        },
      },
      "/api/v1/api-keys/{id}": {
        delete: {
          summary: "Revoke one of the caller's API keys",
          security: person,
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: {
            204: ok("Revoked"),
            401: error("Not authenticated"),
            403: error(`${SUDO_403}; ${scopeNote("keys:manage")}`),
            404: error("No such key of yours"),
          },
        },
      },
      "/api/v1/sessions": {
        get: {
          summary: "Where the caller is signed in: live browser sessions and access tokens, most recently used first",
          description:
            "`kind` is browser or api; `device` is read from the user agent (\"Chrome on macOS\"); `lastUsedAt` is a browser's last request (written at most every 5 minutes) and an access token's issue time; `current` marks the session of this request.",
          security: person,
          responses: {
            200: ok("Sessions", z.object({ sessions: z.array(sessionSchema) })),
            401: error("Not authenticated"),
            403: error("Called with an API key"),
          },
        },
      },
      "/api/v1/sessions/{id}": {
        delete: {
          summary: "End one of the caller's sessions (the caller's own too): its cookie or token fails on its next request",
          security: person,
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: { 204: ok("Ended"), 401: error("Not authenticated"), 403: error("Called with an API key"), 404: error("No such session of yours") },
        },
      },
      "/api/v1/admin/audit": {
        get: {
          summary: "The audit log, newest first, with cursor pagination (ADMIN)",
          description:
            "Filters are exact: `type` (an event type), `actor` and `target` (user ids), `since` (included) and `until` (excluded) as ISO 8601 times or days. Pass `nextCursor` back as `cursor` for the next page; it is null on the last. Events written meanwhile never shift or repeat a page. `count` and `lastAt`: repeats merged into the event (createdAt is the first).",
          security: withKey("admin:users:read"),
          parameters: Object.entries(schema(auditFeedQuerySchema).properties ?? {}).map(([name, value]) => ({
            name,
            in: "query",
            required: false,
            schema: value,
          })),
          responses: {
            200: ok("A page of events", z.object({ events: z.array(auditEventSchema), nextCursor: z.string().nullable() })),
            400: error("validation_error: a bad time, type, cursor or limit"),
            401: error("Not authenticated"),
            403: error("Not an admin"),
          },
        },
      },
      "/api/v1/admin/users": {
        get: {
          summary: "List and search users (ADMIN)",
          security: withKey("admin:users:read"),
          parameters: Object.entries(schema(listUsersQuerySchema).properties ?? {}).map(([name, value]) => ({
            name,
            in: "query",
            required: false,
            schema: value,
          })),
          responses: {
            200: ok(
              "A page of users",
              z.object({ users: z.array(userSchema), page: z.number(), pageSize: z.number(), total: z.number() }),
            ),
            401: error("Not authenticated"),
            403: error(`Not an admin (forbidden); ${scopeNote("admin:users:read")}`),
          },
        },
      },
      "/api/v1/admin/users/{id}": {
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        patch: {
          summary: "Change a user's role, lock, or suspension (ADMIN)",
          description:
            "`suspendedUntil`: an ISO 8601 time in the future suspends the user until then (every session and token ends at once, sign-in and API keys are refused, the user is mailed; it lifts itself at that time); `null` lifts it. `suspensionReason` (up to 500 characters) goes with a time, and is mailed to the user. `locked: true` is a suspension until lifted.",
          security: withKey("admin:users:write"),
          requestBody: { required: true, content: jsonContent(updateUserSchema) },
          responses: {
            200: ok("Updated", z.object({ user: userSchema })),
            400: error("Invalid input"),
            401: error("Not authenticated"),
            403: error(`Not an admin, or the change would leave no admin; reauthentication_required for a role change or deletion when the access token's auth_time is older than the sudo window; ${scopeNote("admin:users:write")}`),
            404: error("No such user"),
          },
        },
        delete: {
          summary: "Delete a user (ADMIN)",
          security: withKey("admin:users:write"),
          responses: {
            204: ok("Deleted"),
            401: error("Not authenticated"),
            403: error(`Not an admin, or the change would leave no admin; reauthentication_required for a role change or deletion when the access token's auth_time is older than the sudo window; ${scopeNote("admin:users:write")}`),
            404: error("No such user"),
          },
        },
      },
      "/api/v1/auth/introspect": {
        post: {
          summary: "Token introspection (RFC 7662): is this access token or API key live, and whose is it?",
          description:
            "For services holding an API key with `tokens:introspect`. Anything forged, expired, revoked, of a locked user or of a kind Latchkey doesn't issue is `{\"active\": false}` and nothing more. Access tokens and the session cookie can't call this route (403 insufficient_scope).",
          security: [{ apiKey: ["tokens:introspect"] }],
          requestBody: {
            required: true,
            content: { ...jsonContent(introspectionRequestSchema), "application/x-www-form-urlencoded": { schema: schema(introspectionRequestSchema) } },
          },
          responses: {
            200: ok("The token's state", introspectionSchema),
            400: error("No token (validation_error) or a body that isn't JSON (invalid_json)"),
            401: error("No API key, or an invalid, expired or revoked one"),
            403: error(`${scopeNote("tokens:introspect")}, or an access token or session cookie instead of a key`),
            415: error("Neither JSON nor form-encoded"),
          },
        },
      },
      "/api/health": {
        get: {
          summary: "Liveness and database reachability",
          responses: {
            200: ok("Healthy", z.object({ status: z.literal("ok") })),
            503: ok("Database unreachable", z.object({ status: z.literal("unavailable") })),
          },
        },
      },
      "/.well-known/jwks.json": {
        get: {
          summary: "The public keys that sign access tokens (JWKS); cacheable for 5 minutes",
          responses: { 200: ok("The active key and those whose tokens may still be valid", jwksSchema) },
        },
      },
      "/.well-known/oauth-authorization-server": {
        get: {
          summary: "Authorization server metadata (RFC 8414): issuer, endpoints, jwks_uri",
          responses: { 200: ok("Metadata; URLs are absolute under AUTH_URL", authorizationServerMetadataSchema) },
        },
      },
    },
  };
}
