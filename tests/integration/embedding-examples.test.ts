import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as hello } from "@/app/api/examples/hello/route";
import { POST as revoke } from "@/app/api/v1/auth/revoke/route";
import { freshDatabase, type TestDatabase } from "../support/database";
import { createUserWithToken, noContext, request } from "../support/http";

// docs/embedding.md shows this route as the way to protect an API route of your own: it must really protect it.
let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database.dispose();
});

const getHello = (token?: string) => hello(request("/api/examples/hello", { token }), noContext);

describe("the example API route of docs/embedding.md", () => {
  it("greets the bearer of a valid access token", async () => {
    const alice = await createUserWithToken("hello");
    const response = await getHello(alice.token);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ message: `Hello, ${alice.user.username}`, via: "bearer" });
  });

  it("answers 401 with WWW-Authenticate without a token, with a forged one, and after revocation", async () => {
    const bob = await createUserWithToken("hello");
    for (const token of [undefined, "not-a-token", `${bob.token.slice(0, -4)}AAAA`]) {
      const response = await getHello(token);
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
    }
    expect((await revoke(request("/api/v1/auth/revoke", { method: "POST", token: bob.token }), noContext)).status).toBe(204);
    expect((await getHello(bob.token)).status).toBe(401);
  });
});
