import { z } from "zod";
import { ACCESS_TOKEN_TTL_SECONDS } from "@/lib/crypto/access-token";
import { listUsersQuerySchema, roleField, updateUserSchema } from "@/lib/validations/admin";
import {
  changePasswordSchema,
  createApiKeySchema,
  emailOnlySchema,
  tokenRequestSchema,
  passwordGrantSchema,
  resetPasswordSchema,
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
  token_type: z.enum(["access_token", "api_key"]).optional(),
  sub: z.string().optional(),
  username: z.string().optional(),
  scope: z.string().optional().describe("Space-separated scopes; for an access token, what its user's role allows"),
  iss: z.string().optional(),
  aud: z.union([z.string(), z.array(z.string())]).optional(),
  iat: z.number().int().optional(),
  exp: z.number().int().optional().describe("Absent for an API key that never expires"),
  auth_time: z.number().int().optional(),
});

const schema = (type: z.ZodType) => z.toJSONSchema(type, { io: "input", unrepresentable: "any" });
const jsonContent = (type: z.ZodType) => ({ "application/json": { schema: schema(type) } });
const error = (description: string) => ({ description, content: jsonContent(errorSchema) });
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
          summary: "Exchange credentials for a 15-minute access token",
          requestBody: {
            required: true,
            content: {
              ...jsonContent(tokenRequestSchema),
              "application/x-www-form-urlencoded": { schema: schema(passwordGrantSchema) },
            },
          },
          responses: {
            200: ok("Access token", tokenSchema),
            400: error("Invalid input"),
            401: error(
              "Wrong credentials or a wrong or reused code (invalid_credentials); email_not_verified when confirmation is required; mfa_required when the account has two-factor authentication and no otp was sent",
            ),
            429: error("Too many attempts (rate_limited), see Retry-After"),
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
          summary: "End every session and access token of the user",
          security: bearer,
          responses: { 204: ok("Revoked"), 401: error("Not authenticated") },
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
          summary: "Change a user's role (ADMIN)",
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
    },
  };
}
