import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { POST as signup } from "@/app/api/v1/auth/signup/route";
import { GET as me } from "@/app/api/v1/me/route";
import { refreshSessionClaims } from "@/lib/auth/session-token";
import { verifyAccessToken } from "@/lib/auth/access-token";
import { createDatabase, setCurrentDatabase, type Database } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { createUserWithToken, leaksInternals, noContext, request, uniqueName, PASSWORD } from "../support/http";

const script = "scripts/pg-cluster.sh";
const hasPostgres = (() => {
  try {
    execFileSync("which", ["initdb", "pg_ctl"]);
    return true;
  } catch {
    return false;
  }
})();

// Its own cluster, so that stopping it doesn't disturb the other test files.
describe.runIf(hasPostgres)("a PostgreSQL that goes away and comes back", () => {
  let dir = "";
  let database: Database;
  const port = 56000 + Math.floor(Math.random() * 1000);
  const pgCtl = (action: "stop" | "start") => {
    const asOwner = process.getuid?.() === 0 ? ["runuser", "-u", "postgres", "--"] : [];
    const args = [...asOwner, "pg_ctl", "-D", `${dir}/data`, "-w", "-m", "fast", "-l", `${dir}/server.log`];
    if (action === "start") args.push("-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`);
    execFileSync(args[0], [...args.slice(1), action], { stdio: "ignore" });
  };

  beforeAll(async () => {
    const [started, url] = execFileSync("bash", [script, "start", String(port)], { encoding: "utf8" }).trim().split(" ");
    dir = started;
    database = createDatabase({ kind: "postgres", url });
    await applyMigrations(database);
    setCurrentDatabase(database);
  });

  afterAll(async () => {
    setCurrentDatabase(undefined);
    await database?.close();
    if (dir) execFileSync("bash", [script, "stop", dir]);
  });

  it("answers 503 while the database is down and recovers without a restart", async () => {
    const alice = await createUserWithToken("outage");
    expect((await health()).status).toBe(200);

    pgCtl("stop");
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

    pgCtl("start");
    await expect.poll(async () => (await health()).status, { timeout: 15_000 }).toBe(200);
    expect((await me(request("/api/v1/me", { token: alice.token }), noContext)).status).toBe(200);
    expect(await refreshSessionClaims(claims)).toMatchObject({ unverified: false, username: alice.user.username });
  });
});
