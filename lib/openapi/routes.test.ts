import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { apiOperations, type ApiOperation } from "./operations";

/** Routes under app/api that are not the JSON API, and why. */
const NOT_IN_THE_DOCUMENT: Record<string, string> = {
  "/api/auth/[...nextauth]": "Auth.js's own endpoints for the browser's sign-in, callbacks and CSRF token",
  "/api/examples/hello": "the worked example a newcomer copies (docs/embedding.md), not part of the API",
};

function routeFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name === "route.ts")
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** app/api/v1/sessions/[id]/route.ts → /api/v1/sessions/[id] */
const routePath = (file: string) => `/${path.relative("app", path.dirname(file)).split(path.sep).join("/")}`;
const documentPath = (route: string) => route.replace(/\[(\w+)\]/g, "{$1}");

function exportedMethods(source: string): string[] {
  return [...source.matchAll(/export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b/g)].map((match) => match[1].toLowerCase());
}

/** The guard call the registry's `auth` stands for, as the handler must write it. */
function guardCall(auth: ApiOperation["auth"]): string | null {
  switch (auth.guard) {
    case "public":
      return null;
    case "optional":
      return "authenticateRequest(request, null)";
    case "request":
      return `authenticateRequest(request, "${auth.scope}")`;
    case "admin":
      return `authenticateRole(request, "ADMIN", "${auth.scope}")`;
    case "person":
      return `${auth.recent ? "authenticateRecentPerson" : "authenticatePerson"}(request${auth.scope ? `, "${auth.scope}"` : ""})`;
    case "service":
      return `authenticateService(request, "${auth.scope}")`;
  }
}

const operations = apiOperations(15);
const files = [...routeFiles("app/api"), ...routeFiles("app/.well-known")];

describe("the OpenAPI registry and the route handlers", () => {
  it("documents every route and method under app/api and app/.well-known, and nothing that isn't there", () => {
    const served = files
      .filter((file) => !(routePath(file) in NOT_IN_THE_DOCUMENT))
      .flatMap((file) => exportedMethods(readFileSync(file, "utf8")).map((method) => `${method} ${documentPath(routePath(file))}`))
      .sort();
    expect(served.length).toBeGreaterThan(20);
    expect(operations.map((operation) => `${operation.method} ${operation.path}`).sort()).toEqual(served);
    for (const route of Object.keys(NOT_IN_THE_DOCUMENT)) expect(files.map(routePath)).toContain(route);
  });

  it("each handler calls the guard, with the scope, that the document promises", () => {
    for (const operation of operations) {
      const file = files.find((candidate) => documentPath(routePath(candidate)) === operation.path)!;
      const source = readFileSync(file, "utf8");
      const handler = source.slice(source.search(new RegExp(`export (?:const|async function|function) ${operation.method.toUpperCase()}\\b`)));
      const body = handler.slice(0, handler.slice(1).search(/\nexport /) + 1 || undefined);
      const call = guardCall(operation.auth);
      const where = `${operation.method} ${operation.path}`;
      if (call) expect(body, where).toContain(call);
      else expect(body, where).not.toMatch(/authenticate\w*\(/);
      if (operation.auth.guard === "admin" && operation.auth.recent) expect(body, where).toContain("assertRecentAuthentication(caller)");
      if (operation.body) expect(body, where).toMatch(/readJson|read\w+Request|readBodyText/);
    }
  });
});
