// `npm run bench`: the production server under load, every figure a ratio against a baseline measured in the
// same run (this machine is shared and noisy). Load comes from autocannon in separate processes. Uses
// DATABASE_URL when it names a PostgreSQL database, else a throwaway PostgreSQL cluster when the server binaries
// are installed, else an embedded PGlite folder. Prints a table and writes .data/bench/bench.json.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { BCRYPT_COST, hashPassword } from "@/lib/crypto/password";
import { createDatabase } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { parseDatabaseUrl } from "@/lib/db/target";
import type { LoadResult } from "./lib/load-run";
import { benchDatabase } from "./lib/bench-database";
import { startProductionServer, type RunningServer } from "./lib/production-server";
import { rssMegabytes } from "./lib/system";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PORT = 3260;
const ACCOUNTS = 400;
const ACCOUNT_PREFIX = "bench_";
const PASSWORD = "benchmark password that is long enough";
/** Sign-ins in flight at once, for the server and for the plain bcrypt baseline alike. */
const LOGIN_CONNECTIONS = 8;
const READ_CONNECTIONS = 10;
/** /api/health is probed at a steady rate for the latency figures, so the probe itself never saturates anything. */
const PROBE_RATE_PER_SECOND = 50;
const PROBE_CONNECTIONS = 2;
const OUTPUT = ".data/bench/bench.json";

function runNode(script: string, job: object): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("node", [script, JSON.stringify(job)], { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.once("exit", (code) => (code === 0 ? resolve(output.trim().split("\n").at(-1) ?? "") : reject(new Error(`${script} exited ${code}`))));
  });
}

const load = async (job: object): Promise<LoadResult> =>
  JSON.parse(await runNode("scripts/bench/load.mjs", { seconds: SECONDS, ...job })) as LoadResult;

const bcryptBaseline = async (): Promise<number> =>
  (JSON.parse(await runNode("scripts/bench/bcrypt-baseline.mjs", { cost: BCRYPT_COST, concurrency: LOGIN_CONNECTIONS, seconds: SECONDS })) as { perSecond: number })
    .perSecond;

/** Where the benchmark's data lives, and how to clean it up. */
/** Accounts that all share one password hash, inserted before the server opens the database. */
async function seedAccounts(url: string): Promise<void> {
  const database = createDatabase(parseDatabaseUrl(url));
  await applyMigrations(database);
  const passwordHash = await hashPassword(PASSWORD);
  await database.prisma.user.createMany({
    data: Array.from({ length: ACCOUNTS }, (_, index) => ({
      username: `${ACCOUNT_PREFIX}${index}`,
      email: `${ACCOUNT_PREFIX}${index}@bench.example`,
      passwordHash,
    })),
  });
  await database.close();
}

/** The gzip size of every script the /login page loads before it is interactive. */
async function firstLoadJavaScript(server: RunningServer): Promise<{ scripts: number; gzipBytes: number }> {
  const html = await (await fetch(`${server.url}/login`)).text();
  const sources = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((match) => match[1]);
  let gzipBytes = 0;
  for (const source of new Set(sources)) {
    const body = Buffer.from(await (await fetch(new URL(source, server.url))).arrayBuffer());
    gzipBytes += gzipSync(body).length;
  }
  return { scripts: new Set(sources).size, gzipBytes };
}

const ratio = (value: number, base: number) => Math.round((value / base) * 100) / 100;

async function main() {
  if (!existsSync(".next/BUILD_ID")) execFileSync("npx", ["next", "build"], { stdio: "inherit" });
  const database = benchDatabase(55490);
  let server: RunningServer | undefined;
  try {
    console.log(`Seeding ${ACCOUNTS} accounts on ${database.kind}…`);
    await seedAccounts(database.url);
    server = await startProductionServer(
      PORT,
      {
        DATABASE_URL: database.url,
        AUTH_SECRET: randomBytes(32).toString("base64url"),
        // One benchmark address sends every request; the per-address limits are measured by the tests instead.
        RATE_LIMIT_TOKEN_REQUESTS_PER_IP: "100000000/15m",
        RATE_LIMIT_LOGIN_FAILURES_PER_IP: "100000000/15m",
      },
      { keepOutput: false },
    );
    const pid = server.process.pid!;
    const rssAtStart = rssMegabytes(pid);
    const url = server.url;
    const tokenResponse = await fetch(`${url}/api/v1/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ identifier: `${ACCOUNT_PREFIX}0`, password: PASSWORD }),
    });
    const { access_token: accessToken } = (await tokenResponse.json()) as { access_token: string };
    const loginJob = { kind: "login", url, connections: LOGIN_CONNECTIONS, accounts: ACCOUNTS, accountPrefix: ACCOUNT_PREFIX, password: PASSWORD };
    const healthJob = { kind: "get", url, path: "/api/health", connections: READ_CONNECTIONS };
    const meJob = { kind: "get", url, path: "/api/v1/me", connections: READ_CONNECTIONS, headers: { authorization: `Bearer ${accessToken}` } };
    const probeJob = { kind: "get", url, path: "/api/health", connections: PROBE_CONNECTIONS, rate: PROBE_RATE_PER_SECOND };

    console.log("Warming up…");
    await load({ ...loginJob, seconds: 3 });
    await load({ ...meJob, seconds: 2 });
    await load({ ...healthJob, seconds: 2 });

    console.log("1/4 sign-in throughput against bcrypt alone (baseline, server, baseline)…");
    const bcryptBefore = await bcryptBaseline();
    const login = await load(loginJob);
    const bcryptAfter = await bcryptBaseline();
    const bcryptPerSecond = (bcryptBefore + bcryptAfter) / 2;

    console.log("2/4 /api/v1/me with a bearer token against /api/health (alternating)…");
    const health1 = await load(healthJob);
    const me1 = await load(meJob);
    const health2 = await load(healthJob);
    const me2 = await load(meJob);
    const healthPerSecond = (health1.perSecond + health2.perSecond) / 2;
    const mePerSecond = (me1.perSecond + me2.perSecond) / 2;

    console.log("3/4 /api/health latency at rest, then during a sign-in flood…");
    const atRest = await load(probeJob);
    const [duringFlood, flood] = await Promise.all([load(probeJob), load(loginJob)]);

    console.log("4/4 first-load JavaScript of /login and memory…");
    const javascript = await firstLoadJavaScript(server);
    const rssAfterLoad = rssMegabytes(pid);

    const failures = [login, health1, me1, health2, me2, atRest, duringFlood, flood].reduce(
      (sum, run) => sum + run.errors + run.timeouts + Object.entries(run.statusCodes).filter(([code]) => !code.startsWith("2")).reduce((n, [, c]) => n + c, 0),
      0,
    );
    const figures = {
      loginPerSecond: Math.round(login.perSecond * 10) / 10,
      bcryptComparePerSecond: Math.round(bcryptPerSecond * 10) / 10,
      loginVsBcrypt: ratio(login.perSecond, bcryptPerSecond),
      healthPerSecond: Math.round(healthPerSecond),
      mePerSecond: Math.round(mePerSecond),
      meVsHealth: ratio(mePerSecond, healthPerSecond),
      healthP99AtRestMs: atRest.p99Ms,
      healthP99DuringLoginFloodMs: duringFlood.p99Ms,
      healthP99FloodVsRest: ratio(duringFlood.p99Ms ?? 0, atRest.p99Ms ?? 1),
      loginFirstLoadJsGzipBytes: javascript.gzipBytes,
      loginFirstLoadScripts: javascript.scripts,
      serverRssAtStartMb: rssAtStart,
      serverRssAfterLoadMb: rssAfterLoad,
      nonSuccessResponses: failures,
    };
    const goals = [
      { figure: "sign-in throughput ÷ raw bcrypt.compare", value: figures.loginVsBcrypt, goal: "≥ 0.9", met: figures.loginVsBcrypt >= 0.9 },
      { figure: "GET /api/v1/me (bearer) ÷ GET /api/health", value: figures.meVsHealth, goal: "≥ 0.8", met: figures.meVsHealth >= 0.8 },
      { figure: "/api/health p99 during sign-in flood ÷ at rest", value: figures.healthP99FloodVsRest, goal: "≤ 3", met: figures.healthP99FloodVsRest <= 3 },
    ];
    console.log(`\nDatabase: ${database.kind}; ${cpus().length} × ${cpus()[0]?.model}; ${SECONDS} s per run\n`);
    console.table(goals);
    console.table(figures);
    mkdirSync(path.dirname(OUTPUT), { recursive: true });
    const report = {
      date: new Date().toISOString(),
      machine: { cpu: cpus()[0]?.model, cores: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
      database: database.kind,
      settings: { seconds: SECONDS, loginConnections: LOGIN_CONNECTIONS, readConnections: READ_CONNECTIONS, probeRatePerSecond: PROBE_RATE_PER_SECOND, bcryptCost: BCRYPT_COST },
      figures,
      goals,
      runs: { login, bcryptBefore, bcryptAfter, health1, me1, health2, me2, atRest, duringFlood, flood },
    };
    writeFileSync(OUTPUT, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`Wrote ${OUTPUT}`);
  } finally {
    await server?.stop();
    database.cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
