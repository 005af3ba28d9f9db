import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "./document";
import { curlExample } from "./curl-examples";

describe("curl examples", () => {
  const paths = buildOpenApiDocument(15).paths as Record<string, Record<string, Parameters<typeof curlExample>[2]>>;

  it("fill every required field of the body and send a bearer token where one is needed", () => {
    const signup = curlExample("post", "/api/v1/auth/signup", paths["/api/v1/auth/signup"].post);
    expect(signup).toContain('-X POST "$B/api/v1/auth/signup"');
    expect(JSON.parse(/-d '(.*)'/.exec(signup)![1])).toEqual({
      username: "alice",
      email: "alice@example.com",
      password: "correct horse battery staple",
    });
    expect(signup).not.toContain("Authorization");
    const me = curlExample("get", "/api/v1/me", paths["/api/v1/me"].get);
    expect(me).toContain('-H "Authorization: Bearer $TOKEN"');
    expect(curlExample("delete", "/api/v1/api-keys/{id}", paths["/api/v1/api-keys/{id}"].delete)).toContain('"$B/api/v1/api-keys/$ID"');
  });

  it("show the first of alternative bodies, and leave an optional body out", () => {
    const token = curlExample("post", "/api/v1/auth/token", paths["/api/v1/auth/token"].post);
    expect(JSON.parse(/-d '(.*)'/.exec(token)![1])).toEqual({ identifier: "alice", password: "correct horse battery staple" });
    const revoke = curlExample("post", "/api/v1/auth/revoke", paths["/api/v1/auth/revoke"].post);
    expect(revoke).toContain('-H "Authorization: Bearer $TOKEN"');
    expect(revoke).not.toContain("-d ");
  });
});
