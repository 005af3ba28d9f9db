import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasPostgresBinaries, startPostgresCluster, type PostgresCluster } from "../support/postgres-cluster";
import { browserSessionCookie, postJson, startProductionServer, uniqueAccount as uniqueAccountWith, type RunningServer } from "../support/servers";

const PASSWORD = "correct horse battery staple again";
const BASE_ENV = {
  AUTH_SECRET: "fault-tests-secret-that-is-long-enough",
  // Every request comes from this test's address; the limits have their own tests.
  RATE_LIMIT_SIGNUPS_PER_IP: "100000/1h",
  RATE_LIMIT_TOKEN_REQUESTS_PER_IP: "100000/15m",
};

const uniqueAccount = (prefix: string) => uniqueAccountWith(prefix, PASSWORD);
/** What a reader sees: the HTML without its tags. */
const visibleText = async (response: Response) => (await response.text()).replace(/<script[\s\S]*?<\/script>/g, "").replace(/<[^>]+>/g, "");
const signIn = (server: RunningServer, identifier: string) => postJson(server, "/api/v1/auth/token", { identifier, password: PASSWORD });

describe.runIf(hasPostgresBinaries)("a running server whose PostgreSQL goes away and comes back", () => {
  let cluster: PostgresCluster;
  let server: RunningServer;

  beforeAll(async () => {
    cluster = startPostgresCluster();
    server = await startProductionServer(3241, { ...BASE_ENV, DATABASE_URL: cluster.url });
  });

  afterAll(async () => {
    await server?.stop();
    cluster?.remove();
  });

  it("answers 503 and shows a 'temporarily unavailable' page while it is down, then serves again without a restart", async () => {
    const alice = uniqueAccount("outage");
    expect((await postJson(server, "/api/v1/auth/signup", alice)).status).toBe(201);
    const { access_token: token } = await (await signIn(server, alice.username)).json();
    const cookie = (await browserSessionCookie(server.url, alice.username, PASSWORD))!;
    const dashboard = () => fetch(`${server.url}/dashboard`, { headers: { cookie }, redirect: "manual" });
    const me = () => fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(await visibleText(await dashboard())).toContain(`Signed in as ${alice.username}`);

    cluster.stop();
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: "unavailable" });
    const apiDown = await me();
    expect(apiDown.status).toBe(503);
    expect(apiDown.headers.get("content-type")).toMatch(/application\/json/);
    expect((await apiDown.json()).error).toEqual({ code: "service_unavailable", message: expect.any(String) });
    expect((await postJson(server, "/api/v1/auth/signup", uniqueAccount("outage"))).status).toBe(503);
    // A page can't answer 503 itself: the browser is sent to one that does, with a way back, JavaScript or not.
    const pageDown = await dashboard();
    expect(pageDown.status).toBe(307);
    const location = pageDown.headers.get("location") ?? "";
    expect(location).toMatch(/\/unavailable\?from=%2Fdashboard$/);
    const notice = await fetch(new URL(location, server.url), { headers: { cookie } });
    expect(notice.status).toBe(503);
    expect(notice.headers.get("retry-after")).toBe("5");
    const html = await notice.text();
    expect(html).toContain("<h1>Temporarily unavailable</h1>");
    expect(html).toContain('<a href="/dashboard">Try again</a>');
    expect(html).not.toContain(alice.username);
    // Pages that need no database stay up.
    expect((await fetch(`${server.url}/login`)).status).toBe(200);
    expect(server.process.exitCode).toBeNull();

    cluster.start();
    await expect.poll(async () => (await fetch(`${server.url}/api/health`)).status, { timeout: 30_000, interval: 250 }).toBe(200);
    expect((await me()).status).toBe(200);
    expect(await visibleText(await dashboard())).toContain(`Signed in as ${alice.username}`);
    expect(server.process.exitCode).toBeNull();
  });
});

type Store = {
  kind: string;
  url: string;
  /** The rows as they are on disk, read once no server has the database open. */
  query<T>(sql: string): Promise<T[]>;
  cleanup(): void;
};

function pgliteStore(): Store {
  const dir = mkdtempSync(path.join(tmpdir(), "latchkey-crash-"));
  return {
    kind: "PGlite",
    url: `pglite:${dir}`,
    async query<T>(sql: string) {
      const database = new PGlite(dir, { extensions: { pg_trgm } });
      try {
        return (await database.query<T>(sql)).rows;
      } finally {
        await database.close();
      }
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function postgresStore(): Store {
  const cluster = startPostgresCluster();
  return {
    kind: "PostgreSQL",
    url: cluster.url,
    async query<T>(sql: string) {
      const client = new pg.Client({ connectionString: cluster.url });
      await client.connect();
      try {
        return (await client.query(sql)).rows as T[];
      } finally {
        await client.end();
      }
    },
    cleanup: () => cluster.remove(),
  };
}

const stores = [{ make: pgliteStore, port: 3242 }, ...(hasPostgresBinaries ? [{ make: postgresStore, port: 3243 }] : [])];

describe.each(stores)("kill -9 during a burst of signups", ({ make, port }) => {
  const store = make();
  afterAll(() => store.cleanup());

  it(`${store.kind}: every 201 is a complete account after the restart, and no half-written row exists`, async () => {
    const env = { ...BASE_ENV, DATABASE_URL: store.url };
    const server = await startProductionServer(port, env);
    const attempted = new Set<string>();
    const created: string[] = [];
    // Collected rather than thrown: an assertion thrown inside a request loop would be lost with it.
    const unexpected: string[] = [];
    let killed = false;
    const SIGNUPS_BEFORE_KILL = 12;
    async function keepSigningUp() {
      while (!killed) {
        const account = uniqueAccount("crash");
        attempted.add(account.username);
        let response;
        try {
          response = await postJson(server, "/api/v1/auth/signup", account);
        } catch {
          // The connection died with the server; before the kill that is a failure.
          if (!killed) unexpected.push("connection error before the kill");
          continue;
        }
        if (response.status === 201) created.push(account.username);
        else if (!killed) unexpected.push(`signup answered ${response.status}`);
        if (created.length >= SIGNUPS_BEFORE_KILL && !killed) {
          killed = true;
          server.process.kill("SIGKILL");
        }
      }
    }
    await Promise.all(Array.from({ length: 8 }, keepSigningUp));
    expect(unexpected).toEqual([]);
    expect(await server.stop()).toBeNull();
    expect(server.process.signalCode).toBe("SIGKILL");
    expect(attempted.size).toBeGreaterThan(created.length);

    const restarted = await startProductionServer(port, env);
    try {
      for (const username of created) expect((await signIn(restarted, username)).status, username).toBe(200);
    } finally {
      expect(await restarted.stop()).toBe(0);
    }

    const users = await store.query<{ username: string; passwordHash: string | null; signups: number }>(`
      SELECT u."username", u."passwordHash",
             (SELECT count(*)::int FROM "AuditEvent" a WHERE a."type" = 'signup' AND a."targetId" = u."id") AS "signups"
      FROM "User" u`);
    const usernames = users.map((user) => user.username);
    expect(usernames).toEqual(expect.arrayContaining(created));
    for (const user of users) {
      expect(attempted.has(user.username)).toBe(true);
      expect(user.passwordHash).toMatch(/^\$2b\$12\$.{53}$/);
      expect(user.signups, `audit event of ${user.username}`).toBe(1);
    }
    const orphans = await store.query<{ n: number }>(`
      SELECT count(*)::int AS n FROM "AuditEvent" a
      WHERE a."type" = 'signup' AND NOT EXISTS (SELECT 1 FROM "User" u WHERE u."id" = a."targetId")`);
    expect(orphans[0].n).toBe(0);
  });
});

describe("graceful shutdown on SIGTERM", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "latchkey-sigterm-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("finishes in-flight requests, refuses new ones, closes PGlite cleanly and starts again on the same data", async () => {
    const env = { ...BASE_ENV, DATABASE_URL: `pglite:${dir}` };
    const server = await startProductionServer(3244, env);
    const existing = uniqueAccount("term");
    expect((await postJson(server, "/api/v1/auth/signup", existing)).status).toBe(201);

    const accounts = Array.from({ length: 4 }, () => uniqueAccount("term"));
    // Each of these waits for a bcrypt hash (hundreds of milliseconds), so all are in flight at the signal.
    const inFlight = [
      ...accounts.map((account) => postJson(server, "/api/v1/auth/signup", account).then((response) => response.status)),
      signIn(server, existing.username).then((response) => response.status),
    ];
    // Long enough for the requests to reach the server, short of a bcrypt hash; the log order below proves it.
    await new Promise((resolve) => setTimeout(resolve, 150));
    server.process.kill("SIGTERM");
    // The signal is handled when the event loop is free; once the server says so, it has stopped listening and
    // closed its idle connections (a fixed 50 ms wait was sometimes too short on a busy machine).
    await expect.poll(() => server.output().includes("SIGTERM: finishing in-flight requests"), { timeout: 5_000 }).toBe(true);
    await expect(fetch(`${server.url}/api/health`)).rejects.toThrow();
    expect(await Promise.all(inFlight)).toEqual([201, 201, 201, 201, 200]);
    expect(await server.stop()).toBe(0);
    expect(server.output()).toContain("Stopped cleanly");
    // Proof that they were in flight: each request's log line (written when it ends) comes after the signal's.
    const lines = server.output().split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as { msg?: string; path?: string; status?: number });
    const signalled = lines.findIndex((line) => line.msg === "SIGTERM: finishing in-flight requests");
    expect(signalled).toBeGreaterThan(-1);
    const answered = (path: string) => lines.slice(signalled).filter((line) => line.path === path).map((line) => line.status);
    expect(answered("/api/v1/auth/signup")).toEqual([201, 201, 201, 201]);
    expect(answered("/api/v1/auth/token")).toEqual([200]);

    const restarted = await startProductionServer(3244, env);
    try {
      for (const account of [existing, ...accounts]) expect((await signIn(restarted, account.username)).status).toBe(200);
    } finally {
      expect(await restarted.stop()).toBe(0);
    }
  });

  it("keeps an idle connection open past Node's 5 s default, and still stops at once", async () => {
    const server = await startProductionServer(3245, { ...BASE_ENV, DATABASE_URL: `pglite:${dir}-keep-alive` });
    const socket = connect(3245, "127.0.0.1");
    let received = "";
    socket.setEncoding("utf8").on("data", (chunk: string) => (received += chunk));
    const closed = new Promise((resolve) => socket.once("close", resolve));
    const ask = async () => {
      const before = received.length;
      socket.write("GET /api/health HTTP/1.1\r\nHost: localhost\r\n\r\n");
      await expect.poll(() => received.slice(before), { timeout: 10_000 }).toMatch(/^HTTP\/1\.1 200 [\s\S]*\r\n\r\n/);
    };
    try {
      await ask();
      // A proxy reuses its idle connections for up to 60 s: one closed under it at 5 s was a reset (a 502 behind it).
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      expect(socket.readyState).toBe("open");
      await ask();
    } finally {
      // The idle kept-alive connection does not hold the shutdown for its 65 s.
      const started = Date.now();
      expect(await server.stop()).toBe(0);
      expect(Date.now() - started).toBeLessThan(5_000);
      await closed;
      rmSync(`${dir}-keep-alive`, { recursive: true, force: true });
    }
  }, 30_000);
});
