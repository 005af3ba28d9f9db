import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "./openapi";

describe("OpenAPI document", () => {
  const document = buildOpenApiDocument(15);

  it("is OpenAPI 3.1 and describes every route of the contract built so far", () => {
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
        "/api/v1/sessions",
        "/api/v1/sessions/{id}",
      ].sort(),
    );
  });

  it("derives request bodies from the zod schemas, including strictness", () => {
    const signup = document.paths["/api/v1/auth/signup"].post.requestBody.content["application/json"].schema as {
      properties: Record<string, unknown>;
      required: string[];
      additionalProperties: boolean;
    };
    expect(Object.keys(signup.properties).sort()).toEqual(["email", "password", "username"]);
    expect(signup.required.sort()).toEqual(["email", "password", "username"]);
    expect(signup.additionalProperties).toBe(false);
    const token = document.paths["/api/v1/auth/token"].post.requestBody.content;
    expect(Object.keys(token).sort()).toEqual(["application/json", "application/x-www-form-urlencoded"]);
  });

  it("documents the refresh grant, the refresh token in the answer and RFC 6749's errors", () => {
    const token = document.paths["/api/v1/auth/token"].post;
    const grants = (token.requestBody.content["application/json"].schema as { anyOf: { properties: Record<string, unknown> }[] }).anyOf;
    expect(grants.map((grant) => Object.keys(grant.properties).sort())).toContainEqual(["grant_type", "refresh_token"]);
    const answer = token.responses[200].content!["application/json"].schema as { required: string[] };
    expect(answer.required).toContain("refresh_token");
    expect(JSON.stringify(token.responses[400])).toContain("invalid_grant");
    const revoke = document.paths["/api/v1/auth/revoke"].post;
    expect(Object.keys(revoke.requestBody.content).sort()).toEqual(["application/json", "application/x-www-form-urlencoded"]);
    expect(revoke.security).toContainEqual({});
  });

  it("names the scope an API key needs on each route that takes keys, and its 403 insufficient_scope", () => {
    const apiKey = document.components.schemas.ApiKey as { properties: Record<string, unknown>; required: string[] };
    expect(apiKey.required).toEqual(expect.arrayContaining(["scopes", "expiresAt"]));
    const scoped: [string, string, string][] = [
      ["/api/v1/me", "get", "profile:read"],
      ["/api/v1/api-keys", "get", "keys:manage"],
      ["/api/v1/admin/users", "get", "admin:users:read"],
      ["/api/v1/admin/users/{id}", "patch", "admin:users:write"],
      ["/api/v1/admin/users/{id}", "delete", "admin:users:write"],
      ["/api/v1/auth/introspect", "post", "tokens:introspect"],
    ];
    const paths = document.paths as unknown as Record<string, Record<string, { security: Record<string, string[]>[]; responses: Record<number, { description: string }> }>>;
    for (const [path, method, scope] of scoped) {
      const operation = paths[path][method];
      expect(operation.security, `${method} ${path}`).toContainEqual({ apiKey: [scope] });
      expect(operation.responses[403].description, `${method} ${path}`).toContain(`insufficient_scope: an API key without ${scope}`);
    }
  });
});
