import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { POST as signup } from "@/app/api/v1/auth/signup/route";
import { GET as me } from "@/app/api/v1/me/route";
import { refreshSessionClaims } from "@/lib/auth/session-token";
import { verifyAccessToken } from "@/lib/crypto/access-token";
import { createDatabase, setCurrentDatabase, type Database } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { hasPostgresBinaries, startPostgresCluster, type PostgresCluster } from "../support/postgres-cluster";
import { createUserWithToken, leaksInternals, noContext, request, uniqueName, PASSWORD } from "../support/http";

// Its own cluster, so that stopping it doesn't disturb the other test files.
describe.runIf(hasPostgresBinaries)("a PostgreSQL that goes away and comes back", () => {
  let cluster: PostgresCluster;
  let database: Database;

  beforeAll(async () => {
    cluster = startPostgresCluster();
    database = createDatabase({ kind: "postgres", url: cluster.url });
    await applyMigrations(database);
    setCurrentDatabase(database);
  });

  afterAll(async () => {
    setCurrentDatabase(undefined);
    await database?.close();
    cluster?.remove();
  });

  it("answers 503 while the database is down and recovers without a restart", async () => {
    const alice = await createUserWithToken("outage");
    expect((await health()).status).toBe(200);

    cluster.stop();
    const down = await health();
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: "unavailable" });
    const apiDown = await me(request("/api/v1/me", { token: alice.token }), noContext);
    expect(apiDown.status).toBe(503);
    const text = await apiDown.text();
    expect(JSON.parse(text).error.code).toBe("service_unavailable");
    expect(leaksInternals(text)).toBe(false);
    // A browser session can be neither trusted nor ended while the database is away.
    const claims = { sub: alice.user.id, sid: (await verifyAccessToken(alice.token))!.sessionId, role: "USER" as const };
    expect(await refreshSessionClaims(claims)).toEqual({ ...claims, unverified: true });
    const signupDown = await signup(request("/api/v1/auth/signup", { method: "POST", json: { ...uniqueName(), password: PASSWORD } }), noContext);
    expect(signupDown.status).toBe(503);

    cluster.start();
    await expect.poll(async () => (await health()).status, { timeout: 15_000 }).toBe(200);
    expect((await me(request("/api/v1/me", { token: alice.token }), noContext)).status).toBe(200);
    expect(await refreshSessionClaims(claims)).toMatchObject({ unverified: false, username: alice.user.username });
  });
});
