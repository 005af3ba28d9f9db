import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLatchkeyClient, type LatchkeyClient } from "../../clients/typescript/client";
import { createServerDatabase } from "../support/database";
import { startProductionServer, uniqueAccount, type RunningServer } from "../support/servers";

// Issue 14's typed client: the types generated from the OpenAPI document (npm run api:types) drive a production
// server through openapi-fetch, on the embedded database and on PostgreSQL. A change to a route that the document
// doesn't follow breaks this file at compile time (npm test's typecheck) or here.

const PASSWORD = "typed client passphrase, long enough";

type Store = { name: string; port: number; open: () => Promise<{ url: string; close: () => Promise<void> }> };
const stores: Store[] = [
  {
    name: "PGlite",
    port: 3262,
    open: async () => {
      const folder = mkdtempSync(path.join(tmpdir(), "latchkey-client-"));
      return { url: `pglite:${folder}`, close: async () => rmSync(folder, { recursive: true, force: true }) };
    },
  },
  ...(process.env.TEST_DATABASE_URL
    ? [
        {
          name: "PostgreSQL",
          port: 3263,
          open: async () => {
            const database = await createServerDatabase();
            return { url: database.url, close: database.drop };
          },
        },
      ]
    : []),
];

describe.each(stores)("the typed client on $name", ({ port, open }) => {
  let server: RunningServer;
  let closeDatabase: () => Promise<void>;
  let api: LatchkeyClient;

  beforeAll(async () => {
    const database = await open();
    closeDatabase = database.close;
    server = await startProductionServer(port, {
      AUTH_SECRET: "typed-client-test-secret-long-enough",
      AUTH_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: database.url,
      LOG_LEVEL: "warn",
    });
    api = createLatchkeyClient(server.url);
  });

  afterAll(async () => {
    await server?.stop();
    await closeDatabase?.();
  });

  it("signs up, gets and refreshes tokens, reads /me, makes a scoped key, is refused beyond its scope, and revokes", async () => {
    const account = uniqueAccount("typed", PASSWORD);
    const signup = await api.POST("/api/v1/auth/signup", { body: account });
    expect(signup.response.status).toBe(201);
    expect(signup.data).toMatchObject({ user: { username: account.username } });

    const issued = await api.POST("/api/v1/auth/token", { body: { identifier: account.username, password: PASSWORD } });
    expect(issued.error).toBeUndefined();
    const first = issued.data!;
    expect(first).toMatchObject({ token_type: "Bearer", expires_in: 900 });

    const refreshed = await api.POST("/api/v1/auth/token", { body: { grant_type: "refresh_token", refresh_token: first.refresh_token } });
    const tokens = refreshed.data!;
    expect(tokens.refresh_token).not.toBe(first.refresh_token);
    const reused = await api.POST("/api/v1/auth/token", { body: { grant_type: "refresh_token", refresh_token: first.refresh_token } });
    expect(reused.response.status).toBe(401);
    expect(reused.error).toMatchObject({ error: { code: "invalid_credentials" } });

    // Reusing a rotated refresh token ended the family: sign in again.
    const again = (await api.POST("/api/v1/auth/token", { body: { identifier: account.username, password: PASSWORD } })).data!;
    const bearer = { Authorization: `Bearer ${again.access_token}` };
    const me = await api.GET("/api/v1/me", { headers: bearer });
    expect(me.data?.user).toMatchObject({ username: account.username, email: account.email, role: "USER" });

    const created = await api.POST("/api/v1/api-keys", { headers: bearer, body: { name: "typed client", scopes: ["profile:read"] } });
    expect(created.response.status).toBe(201);
    const { key, apiKey } = created.data!;
    expect(apiKey.scopes).toEqual(["profile:read"]);
    const withKey = { Authorization: `Bearer ${key}` };
    expect((await api.GET("/api/v1/me", { headers: withKey })).data?.user.id).toBe(me.data!.user.id);
    const beyond = await api.GET("/api/v1/api-keys", { headers: withKey });
    expect(beyond.response.status).toBe(403);
    expect(beyond.error?.error.code).toBe("insufficient_scope");
    expect(beyond.response.headers.get("www-authenticate")).toContain('error="insufficient_scope"');

    const listed = await api.GET("/api/v1/api-keys", { headers: bearer });
    expect(listed.data?.apiKeys.map((entry) => entry.id)).toEqual([apiKey.id]);
    const revokedKey = await api.DELETE("/api/v1/api-keys/{id}", { headers: bearer, params: { path: { id: apiKey.id } } });
    expect(revokedKey.response.status).toBe(204);
    expect((await api.GET("/api/v1/me", { headers: withKey })).response.status).toBe(401);

    const revoked = await api.POST("/api/v1/auth/revoke", { body: { token: again.refresh_token } });
    expect(revoked.response.status).toBe(204);
    const afterRevoke = await api.POST("/api/v1/auth/token", { body: { grant_type: "refresh_token", refresh_token: again.refresh_token } });
    expect(afterRevoke.response.status).toBe(401);
    expect((await api.GET("/api/v1/me", { headers: bearer })).response.status).toBe(401);
  });

  it("serves the document the client was generated from, with this server in `servers`", async () => {
    const document = await api.GET("/api/v1/openapi.json");
    expect(document.data).toMatchObject({ openapi: "3.1.0", servers: [{ url: server.url }] });
  });
});
