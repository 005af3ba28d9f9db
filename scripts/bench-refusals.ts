// `npm run bench:refusals`: what a flood of refused sign-ins costs everyone else. /api/health is probed at a steady
// rate while 20 connections send wrong passwords for one account already in back-off (every answer 429), and, as the
// baseline, while they send a malformed body to the same route (every answer 400, no database work at all). The
// figure is the ratio of the probe's p99 between the two, alternating the floods to spread the machine's noise.
// Uses DATABASE_URL when it names a PostgreSQL database, else an embedded PGlite folder (what `npm start` runs by
// default). BENCH_APP_DIR runs another checkout's production build (e.g. main's, for a before/after figure).
// Writes .data/bench/refusals.json.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { runLoad, type LoadResult } from "./lib/load-run";
import { startProductionServer } from "./lib/production-server";
import { rssMegabytes } from "./lib/system";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const PORT = Number(process.env.BENCH_PORT ?? 3261);
const APP_DIR = path.resolve(process.env.BENCH_APP_DIR ?? ".");
const FLOOD_CONNECTIONS = 20;
const PROBE_RATE_PER_SECOND = 50;
const PROBE_CONNECTIONS = 2;
const OUTPUT = ".data/bench/refusals.json";
const VICTIM = { username: "flooded", email: "flooded@bench.example", password: "the victim's own long password" };
const GOAL = 1.5;

const load = (job: object) => runLoad({ seconds: SECONDS, ...job });

function chooseDatabase(): { url: string; kind: string; cleanup: () => void } {
  const given = process.env.DATABASE_URL;
  if (given?.startsWith("postgres")) return { url: given, kind: "PostgreSQL (DATABASE_URL)", cleanup: () => {} };
  const dir = mkdtempSync(path.join(tmpdir(), "latchkey-bench-refusals-"));
  return { url: `pglite:${dir}`, kind: "PGlite (embedded)", cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const post = (url: string, route: string, body: object) =>
  fetch(`${url}${route}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/** Signs the victim up, then fails its password until the account is in back-off; returns the 429's Retry-After. */
async function putVictimInBackOff(url: string): Promise<string> {
  const signup = await post(url, "/api/v1/auth/signup", VICTIM);
  if (signup.status !== 201) throw new Error(`signup answered ${signup.status}: ${await signup.text()}`);
  for (let attempt = 0; attempt < 20; attempt++) {
    const response = await post(url, "/api/v1/auth/token", { identifier: VICTIM.username, password: "not the password at all" });
    if (response.status === 429) return response.headers.get("retry-after") ?? "(none)";
    if (response.status !== 401) throw new Error(`a wrong password answered ${response.status}`);
  }
  throw new Error("the account never went into back-off");
}

const mean = (values: (number | null)[]) => Math.round(values.reduce<number>((sum, value) => sum + (value ?? 0), 0) / values.length);
const sumCodes = (runs: LoadResult[]) =>
  runs.reduce<Record<string, number>>((sum, run) => {
    for (const [code, count] of Object.entries(run.statusCodes)) sum[code] = (sum[code] ?? 0) + count;
    return sum;
  }, {});

async function main() {
  if (!existsSync(path.join(APP_DIR, ".next/BUILD_ID"))) {
    if (APP_DIR !== process.cwd()) throw new Error(`${APP_DIR} has no production build`);
    execFileSync("npx", ["next", "build"], { stdio: "inherit" });
  }
  const database = chooseDatabase();
  const server = await startProductionServer(
    PORT,
    {
      DATABASE_URL: database.url,
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      // The account stays in back-off for the whole run.
      LOGIN_BACKOFF_BASE: "15m",
      // One benchmark address stands for a flood from many: only the account's back-off refuses.
      RATE_LIMIT_LOGIN_FAILURES_PER_IP: "100000000/15m",
      RATE_LIMIT_TOKEN_REQUESTS_PER_IP: "100000000/15m",
    },
    { keepOutput: false, cwd: APP_DIR },
  );
  try {
    const url = server.url;
    const retryAfter = await putVictimInBackOff(url);
    console.log(`${database.kind}, app in ${APP_DIR}; the account is in back-off (Retry-After: ${retryAfter})`);
    const probe = { kind: "get", url, path: "/api/health", connections: PROBE_CONNECTIONS, rate: PROBE_RATE_PER_SECOND };
    const floods = {
      malformed: { kind: "post", url, path: "/api/v1/auth/token", connections: FLOOD_CONNECTIONS, body: "{" },
      throttled: {
        kind: "post",
        url,
        path: "/api/v1/auth/token",
        connections: FLOOD_CONNECTIONS,
        body: JSON.stringify({ identifier: VICTIM.username, password: "another wrong guess" }),
      },
    };
    console.log("Warming up…");
    await load({ ...floods.malformed, seconds: 2 });
    await load({ ...floods.throttled, seconds: 2 });
    await load({ ...probe, seconds: 2 });

    const runs: Record<keyof typeof floods, { probe: LoadResult; flood: LoadResult }[]> = { malformed: [], throttled: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      for (const kind of ["malformed", "throttled"] as const) {
        console.log(`round ${round}/${ROUNDS}: /api/health during the ${kind} flood…`);
        const [probeRun, floodRun] = await Promise.all([load(probe), load(floods[kind])]);
        runs[kind].push({ probe: probeRun, flood: floodRun });
      }
    }
    const summary = (kind: keyof typeof floods) => ({
      healthP50Ms: mean(runs[kind].map((run) => run.probe.p50Ms)),
      healthP99Ms: mean(runs[kind].map((run) => run.probe.p99Ms)),
      floodRequestsPerSecond: mean(runs[kind].map((run) => run.flood.requestsPerSecond)),
      floodStatusCodes: sumCodes(runs[kind].map((run) => run.flood)),
      probeFailures: runs[kind].reduce((sum, run) => sum + run.probe.errors + run.probe.timeouts, 0),
    });
    const malformed = summary("malformed");
    const throttled = summary("throttled");
    const ratio = Math.round((throttled.healthP99Ms / Math.max(1, malformed.healthP99Ms)) * 100) / 100;
    // Other work on a shared machine moves both floods' figures; the load average says how much there was.
    console.log(`\n${database.kind}; ${cpus().length} × ${cpus()[0]?.model}; load average ${loadavg()[0].toFixed(1)}; ${ROUNDS} rounds of ${SECONDS} s\n`);
    console.table({ malformed, throttled });
    console.table([{ figure: "/api/health p99, refused-sign-in flood ÷ malformed-body flood", value: ratio, goal: `≤ ${GOAL}`, met: ratio <= GOAL }]);
    const report = {
      date: new Date().toISOString(),
      appDir: APP_DIR,
      database: database.kind,
      loadAverage: loadavg()[0],
      settings: { seconds: SECONDS, rounds: ROUNDS, floodConnections: FLOOD_CONNECTIONS, probeRatePerSecond: PROBE_RATE_PER_SECOND },
      figures: { ratio, malformed, throttled, serverRssAfterMb: rssMegabytes(server.process.pid!) },
      runs,
    };
    mkdirSync(path.dirname(OUTPUT), { recursive: true });
    writeFileSync(OUTPUT, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`Wrote ${OUTPUT}`);
  } finally {
    await server.stop();
    database.cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
