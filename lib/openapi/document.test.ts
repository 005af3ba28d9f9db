import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "@/lib/errors";
import { buildOpenApiDocument, type DocumentOperation } from "./document";

const document = buildOpenApiDocument(15);
const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
);
const operation = (path: string, method: string): DocumentOperation => document.paths[path][method];
const codesOf = (answer: { description: string }) => answer.description.split(";")[0].split(", ");

describe("OpenAPI document", () => {
  it("is OpenAPI 3.1 and describes every route of the contract", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths).sort()).toEqual(
      [
        "/api/health",
        "/.well-known/jwks.json",
        "/.well-known/oauth-authorization-server",
        "/api/v1/admin/audit",
        "/api/v1/admin/users",
        "/api/v1/admin/users/{id}",
        "/api/v1/api-keys",
        "/api/v1/api-keys/{id}",
        "/api/v1/auth/email/verify",
        "/api/v1/auth/introspect",
        "/api/v1/auth/password/change",
        "/api/v1/auth/password/forgot",
        "/api/v1/auth/password/reset",
        "/api/v1/auth/revoke",
        "/api/v1/auth/signup",
        "/api/v1/auth/token",
        "/api/v1/me",
        "/api/v1/openapi.json",
        "/api/v1/sessions",
        "/api/v1/sessions/{id}",
      ].sort(),
    );
  });

  it("gives every operation a unique operationId, a declared tag, and the servers it runs on", () => {
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const tags = new Set(document.tags.map((tag) => tag.name));
    for (const { path, method, operation } of operations) expect(tags.has(operation.tags[0]), `${method} ${path}`).toBe(true);
    expect(document.servers).toEqual([expect.objectContaining({ url: "/" })]);
    expect(buildOpenApiDocument(15, { serverUrl: "https://auth.example.com" }).servers[0].url).toBe("https://auth.example.com");
  });

  it("derives request bodies from the zod schemas, including strictness", () => {
    const signup = operation("/api/v1/auth/signup", "post").requestBody!.content["application/json"].schema as {
      properties: Record<string, unknown>;
      required: string[];
      additionalProperties: boolean;
    };
    expect(Object.keys(signup.properties).sort()).toEqual(["email", "password", "username"]);
    expect(signup.required.sort()).toEqual(["email", "password", "username"]);
    expect(signup.additionalProperties).toBe(false);
    expect(Object.keys(operation("/api/v1/auth/token", "post").requestBody!.content).sort()).toEqual([
      "application/json",
      "application/x-www-form-urlencoded",
    ]);
  });

  it("answers with the services' own DTO schemas, named once as components", () => {
    expect(operation("/api/v1/me", "get").responses[200].content!["application/json"].schema).toEqual({
      type: "object",
      properties: { user: { $ref: "#/components/schemas/User" } },
      required: ["user"],
      additionalProperties: false,
    });
    const apiKey = document.components.schemas.ApiKey as { properties: Record<string, unknown>; required: string[] };
    expect(apiKey.required).toEqual(["id", "name", "prefix", "scopes", "createdAt", "lastUsedAt", "expiresAt"]);
    expect(Object.keys(document.components.schemas).sort()).toEqual(
      ["ApiKey", "AuditEvent", "Error", "Introspection", "OAuthError", "Session", "Token", "User"].sort(),
    );
    // Every reference points at a component that exists.
    for (const [, name] of JSON.stringify(document).matchAll(/"#\/components\/schemas\/(\w+)"/g)) {
      expect(document.components.schemas, name).toHaveProperty(name);
    }
  });

  it("documents the refresh grant, the refresh token in the answer and RFC 6749's errors", () => {
    const token = operation("/api/v1/auth/token", "post");
    const grants = (token.requestBody!.content["application/json"].schema as { anyOf: { properties: Record<string, unknown> }[] }).anyOf;
    expect(grants.map((grant) => Object.keys(grant.properties).sort())).toContainEqual(["grant_type", "refresh_token"]);
    expect((document.components.schemas.Token as { required: string[] }).required).toContain("refresh_token");
    expect(JSON.stringify(token.responses[400])).toContain("OAuthError");
    expect(token.responses[400].description).toContain("invalid_grant");
    const revoke = operation("/api/v1/auth/revoke", "post");
    expect(Object.keys(revoke.requestBody!.content).sort()).toEqual(["application/json", "application/x-www-form-urlencoded"]);
    expect(revoke.requestBody!.required).toBe(false);
    expect(revoke.security).toContainEqual({});
  });

  it("lists every status each kind of route can answer, with its codes", () => {
    for (const { path, method, operation: op } of operations) {
      const where = `${method} ${path}`;
      const statuses = Object.keys(op.responses);
      if (op.requestBody) {
        expect(codesOf(op.responses[400]), where).toEqual(expect.arrayContaining(["invalid_json", "validation_error"]));
        expect(codesOf(op.responses[413]), where).toEqual(["payload_too_large"]);
        expect(codesOf(op.responses[415]), where).toEqual(["unsupported_media_type"]);
      }
      if (op.security.length) expect(codesOf(op.responses[401]), where).toContain("unauthorized");
      else if (statuses.includes("401")) expect(codesOf(op.responses[401]), where).not.toContain("unauthorized");
      if (op.security.some((requirement) => "sessionCookie" in requirement) && method !== "get") {
        expect(op.responses[403].description, where).toContain("cross-site");
      }
      for (const status of ["429", "503"].filter((code) => statuses.includes(code) && path !== "/api/health")) {
        expect(op.responses[status].headers, `${where} ${status}`).toHaveProperty("Retry-After");
      }
      if (statuses.includes("401") && op.security.length) expect(op.responses[401].headers, where).toHaveProperty("WWW-Authenticate");
      if (op.responses[403]?.description.includes("insufficient_scope")) expect(op.responses[403].headers, where).toHaveProperty("WWW-Authenticate");
      for (const [status, answer] of Object.entries(op.responses)) {
        if (Number(status) < 400 || (path === "/api/health" && status === "503")) continue;
        for (const code of codesOf(answer)) {
          const spec = Object.entries(ERROR_CODES).find(([name, value]) => ("wireCode" in value ? value.wireCode : name) === code);
          expect(spec?.[1].status, `${where}: ${code} under ${status}`).toBe(Number(status));
        }
      }
    }
    expect(Object.keys(operation("/api/v1/me", "get").responses)).toEqual(["200", "401", "403", "500", "503"]);
    expect(codesOf(operation("/api/v1/auth/signup", "post").responses[409])).toEqual(["account_exists"]);
    expect(codesOf(operation("/api/v1/auth/signup", "post").responses[429])).toEqual(["rate_limited"]);
    expect(Object.keys(operation("/.well-known/oauth-authorization-server", "get").responses)).toEqual(["200", "500"]);
    const health = operation("/api/health", "get").responses;
    expect(Object.keys(health)).toEqual(["200", "503"]);
    expect(health[503]).toEqual({ description: "the database is unreachable", content: { "application/json": { schema: expect.objectContaining({ properties: { status: { type: "string", const: "unavailable" } } }) } } });
    // A malformed id is a 404 like an unknown one, never a 400; a cookie call to introspect meets the cross-site check.
    expect(Object.keys(operation("/api/v1/sessions/{id}", "delete").responses)).not.toContain("400");
    expect(operation("/api/v1/auth/introspect", "post").responses[403].description).toContain("cross-site");
    expect(codesOf(operation("/api/v1/auth/token", "post").responses[400])).toEqual(["invalid_json", "validation_error"]);
  });

  it("names the scope an API key needs on each route that takes keys, and its 403 insufficient_scope", () => {
    const scoped: [string, string, string][] = [
      ["/api/v1/me", "get", "profile:read"],
      ["/api/v1/api-keys", "get", "keys:manage"],
      ["/api/v1/admin/users", "get", "admin:users:read"],
      ["/api/v1/admin/audit", "get", "admin:users:read"],
      ["/api/v1/admin/users/{id}", "patch", "admin:users:write"],
      ["/api/v1/admin/users/{id}", "delete", "admin:users:write"],
      ["/api/v1/auth/introspect", "post", "tokens:introspect"],
    ];
    for (const [path, method, scope] of scoped) {
      const { security, responses } = operation(path, method);
      expect(security, `${method} ${path}`).toContainEqual({ apiKey: [scope] });
      expect(responses[403].description, `${method} ${path}`).toContain(`insufficient_scope: an`);
      expect(responses[403].description, `${method} ${path}`).toContain(`without ${scope}`);
    }
    expect(operation("/api/v1/sessions", "get").security.some((requirement) => "apiKey" in requirement)).toBe(false);
    expect(operation("/api/v1/auth/introspect", "post").security).toEqual([{ apiKey: ["tokens:introspect"] }]);
  });

  it("declares the OAuth2 password and refresh flows and both names of the session cookie", () => {
    const schemes = document.components.securitySchemes;
    expect(schemes.oauth2.flows.password).toEqual({ tokenUrl: "/api/v1/auth/token", refreshUrl: "/api/v1/auth/token", scopes: {} });
    expect([schemes.sessionCookie.name, schemes.secureSessionCookie.name]).toEqual(["authjs.session-token", "__Secure-authjs.session-token"]);
    expect(operation("/api/v1/me", "get").security).toEqual(
      expect.arrayContaining([{ oauth2: [] }, { accessToken: [] }, { sessionCookie: [] }, { secureSessionCookie: [] }]),
    );
  });
});
