import { readdirSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServerDatabase } from "../support/database";
import { browserSessionCookie, startProductionServer, type RunningServer } from "../support/servers";

const PASSWORD = "correct horse battery staple again";
const enabled = Boolean(process.env.TEST_DATABASE_URL);

/**
 * Two production servers on one PostgreSQL, as a load balancer would see them: everything that matters for
 * security lives in the database, so whatever happens through one holds on the other at once.
 */
describe.skipIf(!enabled)("two instances on one PostgreSQL", () => {
  let database: Awaited<ReturnType<typeof createServerDatabase>>;
  let a: RunningServer;
  let b: RunningServer;
  let sql: pg.Client;

  beforeAll(async () => {
    database = await createServerDatabase();
    const env = {
      DATABASE_URL: database.url,
      AUTH_SECRET: "two-instances-secret-that-is-long-enough",
      // The origin a load balancer in front of both would have: tokens name it as their issuer, so both must agree.
      AUTH_URL: "http://127.0.0.1:3230",
      RATE_LIMIT_SIGNUPS_PER_IP: "6/1h",
    };
    // Started together, so both apply the migrations at the same moment.
    [a, b] = await Promise.all([startProductionServer(3231, env), startProductionServer(3232, env)]);
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end();
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
  });

  const post = (server: RunningServer, path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  const tokenFor = async (server: RunningServer, identifier: string, password = PASSWORD) => post(server, "/api/v1/auth/token", { identifier, password });
  const me = (server: RunningServer, bearer: string) => fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${bearer}` } });
  let counter = 0;
  const signup = async (server: RunningServer) => {
    counter += 1;
    const names = { username: `twin_${counter}_${Date.now() % 100000}`, email: `twin.${counter}.${Date.now()}@example.com` };
    const response = await post(server, "/api/v1/auth/signup", { ...names, password: PASSWORD });
    return { response, ...names };
  };

  it("both applied the migrations once, without conflict", async () => {
    const { rows } = await sql.query(`SELECT migration_name, count(*)::int AS n, bool_and(finished_at IS NOT NULL) AS done FROM _prisma_migrations GROUP BY 1 ORDER BY 1`);
    // Every migration in the repository, each applied exactly once and finished.
    const shipped = readdirSync("prisma/migrations", { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
    expect(shipped.length).toBeGreaterThan(0);
    expect(rows).toEqual(shipped.map((name) => ({ migration_name: name, n: 1, done: true })));
  });

  it("both made the first access-token signing key at the same moment, and exactly one exists, published by both", async () => {
    const { rows } = await sql.query(`SELECT kid FROM "SigningKey"`);
    expect(rows).toHaveLength(1);
    for (const server of [a, b]) {
      const { keys } = await (await fetch(`${server.url}/.well-known/jwks.json`)).json();
      expect(keys.map(({ kid }: { kid: string }) => kid)).toEqual([rows[0].kid]);
    }
  });

  it("a token and a browser session issued by one are honoured by the other", async () => {
    const user = await signup(a);
    expect(user.response.status).toBe(201);
    const { access_token } = await (await tokenFor(a, user.username)).json();
    expect((await me(b, access_token)).status).toBe(200);

    const cookie = await browserSessionCookie(a.url, user.username, PASSWORD);
    expect(cookie).toBeTruthy();
    const dashboard = await fetch(`${b.url}/dashboard`, { headers: { cookie: cookie! }, redirect: "manual" });
    expect(dashboard.status).toBe(200);
    const text = (await dashboard.text()).replace(/<[^>]+>/g, "");
    expect(text).toContain(`Signed in as ${user.username}`);
  });

  it("revocation through one ends the token and the session on the other at the next request", async () => {
    const user = await signup(b);
    const { access_token } = await (await tokenFor(a, user.username)).json();
    const cookie = await browserSessionCookie(a.url, user.username, PASSWORD);
    const dashboardOnA = () => fetch(`${a.url}/dashboard`, { headers: { cookie: cookie! }, redirect: "manual" });
    // Both work on A first, so what follows shows the revocation and not a credential that never worked.
    expect((await me(a, access_token)).status).toBe(200);
    expect((await dashboardOnA()).status).toBe(200);
    const { access_token: revoker } = await (await tokenFor(b, user.username)).json();
    expect((await post(b, "/api/v1/auth/revoke", {}, { authorization: `Bearer ${revoker}` })).status).toBe(204);
    expect((await me(a, access_token)).status).toBe(401);
    const dashboard = await dashboardOnA();
    expect(dashboard.status).toBe(307);
  });

  it("a role change and a lock through one hold on the other at once", async () => {
    const admin = await signup(a);
    await sql.query(`UPDATE "User" SET role = 'ADMIN' WHERE username = $1`, [admin.username]);
    const { access_token: adminToken } = await (await tokenFor(a, admin.username)).json();
    const user = await signup(a);
    const userId = (await user.response.json()).user.id;
    const { access_token: userToken } = await (await tokenFor(a, user.username)).json();
    const adminList = () => fetch(`${a.url}/api/v1/admin/users`, { headers: { authorization: `Bearer ${userToken}` } });
    expect((await adminList()).status).toBe(403);

    const patch = (body: unknown) =>
      fetch(`${b.url}/api/v1/admin/users/${userId}`, {
        method: "PATCH",
        headers: { "content-type": "application/json", authorization: `Bearer ${adminToken}` },
        body: JSON.stringify(body),
      });
    expect((await patch({ role: "ADMIN" })).status).toBe(200);
    expect((await adminList()).status).toBe(200);
    expect((await patch({ role: "USER", locked: true })).status).toBe(200);
    expect((await me(a, userToken)).status).toBe(401);
    expect((await tokenFor(a, user.username)).status).toBe(401);
  });

  it("throttling counts failures from both: 3 on one and 2 on the other, then both refuse", async () => {
    const user = await signup(a);
    for (const server of [a, b, a, b, a]) expect((await tokenFor(server, user.username, "wrong wrong wrong")).status).toBe(401);
    for (const server of [b, a]) {
      const refused = await tokenFor(server, user.username, PASSWORD);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    }
  });

  it("per-address limits are shared: signups through both count against one budget", async () => {
    const { rows } = await sql.query(`SELECT cardinality(hits) AS n FROM "RateLimit" WHERE key LIKE 'signups:ip:%'`);
    const used = rows.reduce((sum, row) => sum + Number(row.n), 0);
    const statuses = [];
    for (let i = used; i < 7; i += 1) statuses.push((await signup(i % 2 ? a : b)).response.status);
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.slice(0, -1).every((status) => status === 201)).toBe(true);
  });
});
