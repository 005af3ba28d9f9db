import { z } from "zod";
import { ERROR_CODES, type ErrorCode } from "@/lib/errors";
import { API_KEY_SCOPES, API_KEY_SCOPE_DESCRIPTIONS } from "@/lib/validations/api-key-scopes";
import { NAMED_SCHEMAS, apiOperations, type ApiOperation } from "./operations";

type JsonSchema = Record<string, unknown>;
type Content = Record<string, { schema: JsonSchema }>;
type Response = { description: string; headers?: Record<string, unknown>; content?: Content };
type SecurityRequirement = Record<string, string[]>;
export type DocumentOperation = {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  security: SecurityRequirement[];
  parameters?: Record<string, unknown>[];
  requestBody?: { required: boolean; content: Content };
  responses: Record<string, Response>;
};

const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string().describe("In the caller's language (Accept-Language); programs read `code`"),
    fields: z.record(z.string(), z.array(z.string())).optional().describe("validation_error: the messages of each field"),
  }),
});

/** RFC 6749 §5.2: what form-encoded (OAuth2) token and revocation requests get instead of `Error`. */
const oauthErrorSchema = z.object({
  error: z.enum(["invalid_request", "invalid_grant", "unsupported_grant_type", "temporarily_unavailable", "server_error"]),
  error_description: z.string(),
});

const REF = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const RETRY_AFTER = { "Retry-After": { description: "Seconds to wait before trying again", schema: { type: "integer", minimum: 1 } } };
const WWW_AUTHENTICATE = {
  "WWW-Authenticate": { description: 'Bearer realm="latchkey"; on insufficient_scope, error="insufficient_scope" and the scope', schema: { type: "string" } },
};
const COOKIE_SCHEMES: SecurityRequirement[] = [{ sessionCookie: [] }, { secureSessionCookie: [] }];
const PERSON_SCHEMES: SecurityRequirement[] = [{ accessToken: [] }, { oauth2: [] }, ...COOKIE_SCHEMES];

/**
 * Builds JSON Schemas from zod, the named ones (NAMED_SCHEMAS) once as components: zod's `$defs` become
 * `#/components/schemas/…` references, so a generated client gets `User`, not eleven copies of it.
 */
class SchemaWriter {
  readonly components: Record<string, JsonSchema> = {};
  private readonly registry = z.registry<{ id: string }>();

  constructor() {
    for (const [schema, id] of NAMED_SCHEMAS) this.registry.add(schema, { id });
  }

  write(type: z.ZodType, io: "input" | "output"): JsonSchema {
    const named = NAMED_SCHEMAS.get(type);
    if (named) {
      // zod writes a schema it is given inline; inside another it becomes a $def, which lands in the components.
      this.write(z.object({ wrapped: type }), io);
      return REF(named);
    }
    const { $defs, $schema: _schema, ...schema } = z.toJSONSchema(type, {
      io,
      unrepresentable: "any",
      metadata: this.registry,
    }) as JsonSchema & { $defs?: Record<string, JsonSchema> };
    for (const [name, definition] of Object.entries($defs ?? {})) this.components[name] ??= relink(definition) as JsonSchema;
    return relink(schema) as JsonSchema;
  }
}

function relink(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(relink);
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) =>
      key === "$ref" && typeof inner === "string" ? [key, inner.replace("#/$defs/", "#/components/schemas/")] : [key, relink(inner)],
    ),
  );
}

/** The codes a route can answer with because of what kind of route it is, before its own rules. */
function impliedErrors(operation: ApiOperation): ErrorCode[] {
  const codes: ErrorCode[] = [];
  const { auth, body, method } = operation;
  if (body) codes.push("invalid_json", "validation_error", "payload_too_large", "unsupported_media_type");
  if (!body && method === "delete") codes.push("unsupported_media_type");
  if (operation.query) codes.push("validation_error");
  if (auth.guard !== "public") codes.push("unauthorized");
  // A state change carried by the session cookie must come from our own origin (Sec-Fetch-Site, Origin), and as JSON.
  if (auth.guard !== "public" && method !== "get") codes.push("forbidden", ...(method === "delete" ? [] : ["unsupported_media_type" as const]));
  if (auth.guard === "admin" || auth.guard === "person") codes.push("forbidden");
  if ("scope" in auth && auth.scope) codes.push("insufficient_scope");
  if ("recent" in auth && auth.recent) codes.push("reauthentication_required");
  if (!operation.static) codes.push("service_unavailable");
  // The health check answers every failure with its own 503.
  if (!operation.outageBody) codes.push("internal_error");
  return codes;
}

/** Why each implied 403 happens, since `forbidden` alone says little. */
function forbiddenNote(operation: ApiOperation): string[] {
  const { auth, method } = operation;
  const notes: string[] = [];
  if (auth.guard === "admin") notes.push("not an admin");
  if (auth.guard === "person") notes.push("called with an API key");
  if (method !== "get" && auth.guard !== "public") {
    notes.push("a cross-site request carrying the session cookie", "the session cookie of an administrator viewing as the user (read-only)");
  }
  if ("scope" in auth && auth.scope) {
    notes.push(
      auth.guard === "service"
        ? `insufficient_scope: an access token or session cookie, or an API key without ${auth.scope}`
        : `insufficient_scope: an API key without ${auth.scope}`,
    );
  }
  if (auth.guard === "admin" && auth.recent) notes.push("reauthentication_required: a role change or deletion with an access token or session older than the sudo window (AUTH_SUDO_WINDOW)");
  else if ("recent" in auth && auth.recent) notes.push("reauthentication_required: an access token or session older than the sudo window (AUTH_SUDO_WINDOW)");
  return notes;
}

function security(operation: ApiOperation): SecurityRequirement[] {
  const { auth } = operation;
  switch (auth.guard) {
    case "public":
      return [];
    case "optional":
      return [...PERSON_SCHEMES, { apiKey: [] }, {}];
    case "request":
    case "admin":
      return [...PERSON_SCHEMES, { apiKey: [auth.scope] }];
    case "person":
      return PERSON_SCHEMES;
    case "service":
      return [{ apiKey: [auth.scope] }];
  }
}

function responses(operation: ApiOperation, schemas: SchemaWriter): Record<string, Response> {
  const answers: Record<string, Response> = {};
  for (const [status, success] of Object.entries(operation.success)) {
    answers[status] = {
      description: success.description,
      ...(success.body && { content: { "application/json": { schema: schemas.write(success.body, "output") } } }),
    };
  }
  const byStatus = new Map<number, Set<string>>();
  for (const code of [...impliedErrors(operation), ...operation.errors]) {
    const spec = ERROR_CODES[code];
    const wire = "wireCode" in spec ? spec.wireCode : code;
    const codes = byStatus.get(spec.status) ?? new Set<string>();
    codes.add(wire);
    byStatus.set(spec.status, codes);
  }
  const errorContent = (status: number) => {
    const oauth = operation.oauthErrors && status !== 401 && status !== 415;
    return { "application/json": { schema: oauth ? { anyOf: [REF("Error"), REF("OAuthError")] } : REF("Error") } };
  };
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const words = [[...codes].join(", ")];
    if (status === 403) words.push(...forbiddenNote(operation));
    if (operation.notes?.[status]) words.push(operation.notes[status]);
    const outage = status === 503 && operation.outageBody;
    if (outage) {
      answers[status] = { description: operation.notes?.[status] ?? "Unavailable", content: { "application/json": { schema: schemas.write(outage, "output") } } };
      continue;
    }
    const headers = {
      ...((status === 429 || status === 503) && RETRY_AFTER),
      ...((status === 401 || (status === 403 && codes.has("insufficient_scope"))) && codes.has(status === 401 ? "unauthorized" : "insufficient_scope") && WWW_AUTHENTICATE),
    };
    answers[status] = {
      description: words.join("; "),
      ...(Object.keys(headers).length && { headers }),
      content: errorContent(status),
    };
  }
  return answers;
}

function requestBody(operation: ApiOperation, schemas: SchemaWriter): DocumentOperation["requestBody"] {
  const { body } = operation;
  if (!body) return undefined;
  return {
    required: !body.optional,
    content: {
      "application/json": { schema: schemas.write(body.json, "input") },
      ...(body.form && { "application/x-www-form-urlencoded": { schema: schemas.write(body.form, "input") } }),
    },
  };
}

function parameters(operation: ApiOperation, schemas: SchemaWriter) {
  const list: Record<string, unknown>[] = [];
  if (operation.pathParameter) list.push({ name: operation.pathParameter, in: "path", required: true, schema: { type: "string" } });
  if (operation.query) {
    const query = schemas.write(operation.query, "input") as { properties?: Record<string, JsonSchema> };
    for (const [name, schema] of Object.entries(query.properties ?? {})) list.push({ name, in: "query", required: false, schema });
  }
  return list.length ? list : undefined;
}

const TAG_DESCRIPTIONS: Record<ApiOperation["tag"], string> = {
  "Sign-up and sign-in": "Accounts, OAuth2 tokens (password and refresh grants, RFC 7009 revocation) and the mailed links",
  Account: "The caller's own profile and password",
  "API keys": "Long-lived, scoped keys for programs",
  Sessions: "Where the caller is signed in",
  Administration: "For admins: users and the audit log",
  "Token services": "For other services checking Latchkey's tokens",
  Discovery: "Keys, metadata, this document and the health check",
};

/**
 * The OpenAPI 3.1 document, built from the operation registry (operations.ts) and the zod schemas the routes parse
 * with and the services answer with. `serverUrl`: the public address (AUTH_URL), else relative to the document.
 */
export function buildOpenApiDocument(minPasswordLength: number, { serverUrl }: { serverUrl?: string } = {}) {
  const schemas = new SchemaWriter();
  const paths: Record<string, Record<string, DocumentOperation>> = {};
  for (const operation of apiOperations(minPasswordLength)) {
    paths[operation.path] ??= {};
    const query = parameters(operation, schemas);
    const body = requestBody(operation, schemas);
    paths[operation.path][operation.method] = {
      operationId: operation.operationId,
      tags: [operation.tag],
      summary: operation.summary,
      ...(operation.description && { description: operation.description }),
      security: security(operation),
      ...(query && { parameters: query }),
      ...(body && { requestBody: body }),
      responses: responses(operation, schemas),
    };
  }
  const errorSchemas = { Error: schemas.write(errorSchema, "output"), OAuthError: schemas.write(oauthErrorSchema, "output") };
  return {
    openapi: "3.1.0",
    info: {
      title: "Latchkey API",
      version: "1.0.0",
      description: "Signup, login and account management. Errors use the `Error` shape (form-encoded OAuth2 requests: `OAuthError`).",
      license: { name: "MIT", identifier: "MIT" },
    },
    servers: [{ url: serverUrl ?? "/", description: serverUrl ? "This server" : "The server this document came from" }],
    tags: Object.entries(TAG_DESCRIPTIONS).map(([name, description]) => ({ name, description })),
    components: {
      securitySchemes: {
        accessToken: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "An access token from POST /api/v1/auth/token" },
        oauth2: {
          type: "oauth2",
          description: "The same access token, fetched by an OAuth2 client with the password grant (the Authorize button of /docs/api)",
          flows: { password: { tokenUrl: "/api/v1/auth/token", refreshUrl: "/api/v1/auth/token", scopes: {} } },
        },
        apiKey: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "lk_ API key",
          description: `An API key, limited to its scopes: ${API_KEY_SCOPES.map((scope) => `\`${scope}\` (${API_KEY_SCOPE_DESCRIPTIONS[scope]})`).join(", ")}. A key without the scope an operation names gets 403 insufficient_scope.`,
        },
        sessionCookie: { type: "apiKey", in: "cookie", name: "authjs.session-token", description: "A browser's session, over http" },
        secureSessionCookie: { type: "apiKey", in: "cookie", name: "__Secure-authjs.session-token", description: "A browser's session, over https" },
      },
      schemas: { ...errorSchemas, ...schemas.components } as Record<string, JsonSchema>,
    },
    paths,
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
