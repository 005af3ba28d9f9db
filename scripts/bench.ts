// `npm run bench`: every performance goal of the app, measured on a production build (`npm start` as users run it)
// on the embedded database and on PostgreSQL, each figure a ratio against a baseline measured in the same run (this
// machine is shared and noisy). Load comes from autocannon in separate processes. Prints each figure beside its
// goal, writes .data/bench/bench.json, and rewrites the README's performance table from it.
//   BENCH_DATABASES=pglite,postgres   which databases (PostgreSQL: DATABASE_URL, else a throwaway local cluster)
//   BENCH_SECONDS=10                  each measured run; BENCH_MIXED_SECONDS=60 the 200-client mixed load
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import path from "node:path";
import { BCRYPT_WORKERS } from "@/lib/crypto/bcrypt-pool";
import { BCRYPT_COST, hashPassword } from "@/lib/crypto/password";
import { createDatabase } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { parseDatabaseUrl } from "@/lib/db/target";
import { blankNextPageJavaScript, coldStartMs, firstLoadJavaScript, trivialServerDirectory } from "./lib/baselines";
import { embeddedBenchDatabase, postgresBenchDatabase, type BenchDatabase } from "./lib/bench-database";
import { MIXED_CLIENTS, runLoad, type LoadResult } from "./lib/load-run";
import { browserSessionCookie, npmStartNodeArguments, startProductionServer } from "./lib/production-server";
import { REFUSAL_FLOOD_GOAL, REFUSAL_FLOOD_SERVER_ENV, measureRefusalFlood } from "./lib/refusal-flood";
import { rssMegabytes } from "./lib/system";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const MIXED_SECONDS = Number(process.env.BENCH_MIXED_SECONDS ?? 60);
const DATABASES = (process.env.BENCH_DATABASES ?? "pglite,postgres").split(",");
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
const COLD_STARTS = 3;
const OUTPUT = ".data/bench/bench.json";
const README = "README.md";
const README_BEGIN = "<!-- bench:begin (written by npm run bench) -->";
const README_END = "<!-- bench:end -->";

const load = (job: object): Promise<LoadResult> => runLoad({ seconds: SECONDS, ...job });

/** Runs one of scripts/bench/*.mjs in its own process with a JSON job; resolves with the last line it printed. */
function runNode(script: string, job: object, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("node", [script, JSON.stringify(job)], { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...env } });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.once("exit", (code) => (code === 0 ? resolve(output.trim().split("\n").at(-1) ?? "") : reject(new Error(`${script} exited ${code}`))));
  });
}

/** bcrypt.compare alone in a plain Node process, at the app's cost, the load's concurrency and as many threads as the app hashes on. */
const bcryptBaseline = async (seconds = SECONDS): Promise<number> =>
  (
    JSON.parse(
      await runNode("scripts/bench/bcrypt-baseline.mjs", { cost: BCRYPT_COST, concurrency: LOGIN_CONNECTIONS, seconds }, { UV_THREADPOOL_SIZE: String(BCRYPT_WORKERS) }),
    ) as { perSecond: number }
  ).perSecond;

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
      emailVerified: new Date(),
    })),
  });
  await database.close();
}

const round = (value: number, places = 2) => Math.round(value * 10 ** places) / 10 ** places;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const nonSuccess = (runs: LoadResult[]) =>
  runs.reduce((sum, run) => sum + Object.entries(run.statusCodes).filter(([code]) => !code.startsWith("2")).reduce((n, [, count]) => n + count, 0), 0);

type Goal = { figure: string; value: number | null; unit: string; goal: string; met: boolean; detail: string };

const atMost = (figure: string, value: number | null, limit: number, unit: string, detail: string): Goal => ({
  figure,
  value,
  unit,
  goal: `≤ ${limit}${unit}`,
  met: value !== null && value <= limit,
  detail,
});
const atLeast = (figure: string, value: number | null, limit: number, unit: string, detail: string): Goal => ({
  figure,
  value,
  unit,
  goal: `≥ ${limit}${unit}`,
  met: value !== null && value >= limit,
  detail,
});

/** Every figure on one database: cold starts first (the server is not yet running), then one server for the rest. */
async function benchOn(database: BenchDatabase, trivialColdStartMs: number, blankJavaScript: { gzipBytes: number }) {
  const log = (line: string) => console.log(`[${database.kind}] ${line}`);
  log(`seeding ${ACCOUNTS} accounts…`);
  await seedAccounts(database.url);
  const serverEnv = {
    DATABASE_URL: database.url,
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    ...REFUSAL_FLOOD_SERVER_ENV,
    // One benchmark address stands for many clients: only the per-account rules refuse.
    RATE_LIMIT_TOKEN_REQUESTS_PER_IP: "100000000/15m",
    RATE_LIMIT_LOGIN_FAILURES_PER_IP: "100000000/15m",
    RATE_LIMIT_SIGNUPS_PER_IP: "100000000/1h",
  };

  log(`cold start: npm start to the first /api/health answer, ${COLD_STARTS} times…`);
  const coldStarts: number[] = [];
  for (let run = 0; run < COLD_STARTS; run++) coldStarts.push(await coldStartMs(process.cwd(), PORT + 1, serverEnv));

  const server = await startProductionServer(PORT, serverEnv, { keepOutput: false });
  try {
    const pid = server.process.pid!;
    const url = server.url;
    const rssAtStart = rssMegabytes(pid);
    const tokenResponse = await fetch(`${url}/api/v1/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ identifier: `${ACCOUNT_PREFIX}0`, password: PASSWORD }),
    });
    const { access_token: accessToken } = (await tokenResponse.json()) as { access_token: string };
    const cookie = await browserSessionCookie(url, `${ACCOUNT_PREFIX}1`, PASSWORD);
    if (!accessToken || !cookie) throw new Error("the benchmark account could not sign in");
    const loginJob = { kind: "login", url, connections: LOGIN_CONNECTIONS, accounts: ACCOUNTS, accountPrefix: ACCOUNT_PREFIX, password: PASSWORD };
    const healthJob = { kind: "get", url, path: "/api/health", connections: READ_CONNECTIONS };
    const meJob = { kind: "get", url, path: "/api/v1/me", connections: READ_CONNECTIONS, headers: { authorization: `Bearer ${accessToken}` } };
    const probeJob = { kind: "get", url, path: "/api/health", connections: PROBE_CONNECTIONS, rate: PROBE_RATE_PER_SECOND };

    log("warming up…");
    await load({ ...loginJob, seconds: 3 });
    await load({ ...meJob, seconds: 2 });
    await load({ ...healthJob, seconds: 2 });

    log("sign-in throughput against bcrypt alone (baseline, server, baseline)…");
    const bcryptBefore = await bcryptBaseline();
    const login = await load(loginJob);
    const bcryptAfter = await bcryptBaseline();
    const bcryptPerSecond = (bcryptBefore + bcryptAfter) / 2;

    log("/api/v1/me with a bearer token against /api/health (alternating)…");
    const health1 = await load(healthJob);
    const me1 = await load(meJob);
    const health2 = await load(healthJob);
    const me2 = await load(meJob);
    const healthPerSecond = (health1.perSecond + health2.perSecond) / 2;
    const mePerSecond = (me1.perSecond + me2.perSecond) / 2;

    log("/api/health latency at rest, during a sign-in flood, and while another process hashes as much…");
    const atRest = await load(probeJob);
    const [duringFlood, flood] = await Promise.all([load(probeJob), load(loginJob)]);
    const [duringBurn] = await Promise.all([load(probeJob), bcryptBaseline()]);

    log("a flood of refused sign-ins against a flood of malformed ones…");
    const refusals = await measureRefusalFlood(url, load, { rounds: 2, log });

    log(`200 clients for ${MIXED_SECONDS} s (pages, /me, sign-ins, sign-ups), sampling RSS…`);
    const rssDuringMixed = [rssMegabytes(pid)];
    const sampler = setInterval(() => rssDuringMixed.push(rssMegabytes(pid)), 1_000);
    const mixedJob = { url, seconds: MIXED_SECONDS, timeoutSeconds: 30 };
    const [pages, me, signIns, signUps] = await Promise.all([
      runLoad({ ...mixedJob, kind: "get", paths: ["/", "/login", "/signup", { path: "/dashboard", headers: { cookie } }], connections: MIXED_CLIENTS.pages }),
      runLoad({ ...mixedJob, kind: "get", path: "/api/v1/me", headers: { authorization: `Bearer ${accessToken}` }, connections: MIXED_CLIENTS.me }),
      runLoad({ ...mixedJob, kind: "login", accounts: ACCOUNTS, accountPrefix: ACCOUNT_PREFIX, password: PASSWORD, connections: MIXED_CLIENTS.login }),
      runLoad({ ...mixedJob, kind: "signup", accountPrefix: "mixed_", password: PASSWORD, connections: MIXED_CLIENTS.signup }),
    ]);
    clearInterval(sampler);
    rssDuringMixed.push(rssMegabytes(pid));

    const javascript = await firstLoadJavaScript(url, "/login");
    const rssAfterLoad = rssMegabytes(pid);
    const mixedRuns = [pages, me, signIns, signUps];
    const figures = {
      coldStartMs: median(coldStarts),
      coldStarts,
      trivialColdStartMs,
      loginPerSecond: round(login.perSecond, 1),
      bcryptComparePerSecond: round(bcryptPerSecond, 1),
      healthPerSecond: Math.round(healthPerSecond),
      mePerSecond: Math.round(mePerSecond),
      healthP99AtRestMs: atRest.p99Ms,
      healthP99DuringLoginFloodMs: duringFlood.p99Ms,
      healthP99DuringSeparateBcryptMs: duringBurn.p99Ms,
      refusalFlood: { malformed: refusals.malformed, throttled: refusals.throttled },
      mixed: {
        signInsPerSecond: round(signIns.perSecond, 2),
        signInP99Ms: signIns.p99Ms,
        signUpsPerSecond: round(signUps.perSecond, 2),
        pagesP99Ms: pages.p99Ms,
        meP99Ms: me.p99Ms,
        pagesPerSecond: Math.round(pages.perSecond),
        mePerSecond: Math.round(me.perSecond),
        // What clients already connected wait, and the slowest first answer: all 200 connect at once, and a busy
        // event loop accepts one connection per turn.
        laterP99Ms: { signIns: signIns.laterP99Ms, pages: pages.laterP99Ms, me: me.laterP99Ms },
        firstAnswerMaxMs: Math.max(...mixedRuns.map((run) => run.firstAnswerMaxMs ?? 0)),
        timeouts: mixedRuns.reduce((sum, run) => sum + run.timeouts, 0),
        errors: mixedRuns.reduce((sum, run) => sum + run.errors, 0),
        nonSuccessResponses: nonSuccess(mixedRuns),
      },
      loginFirstLoadJsGzipBytes: javascript.gzipBytes,
      loginFirstLoadScripts: javascript.scripts,
      blankPageFirstLoadJsGzipBytes: blankJavaScript.gzipBytes,
      serverRssAtStartMb: rssAtStart,
      serverRssPeakDuringMixedMb: Math.max(...rssDuringMixed),
      serverRssAfterLoadMb: rssAfterLoad,
      nonSuccessResponses: nonSuccess([login, health1, me1, health2, me2, atRest, duringFlood, flood, duringBurn]),
    };
    const floodVsBurn = duringFlood.p99Ms && duringBurn.p99Ms ? round(duringFlood.p99Ms / duringBurn.p99Ms) : null;
    const goals: Goal[] = [
      atMost(
        "/api/health p99, refused-sign-in flood ÷ malformed-body flood",
        refusals.ratio,
        REFUSAL_FLOOD_GOAL,
        "×",
        `${refusals.throttled.healthP99Ms} ÷ ${refusals.malformed.healthP99Ms} ms`,
      ),
      atMost("/api/health p99, sign-in flood ÷ another process hashing as much", floodVsBurn, 1.5, "×", `${duringFlood.p99Ms} ÷ ${duringBurn.p99Ms} ms, at rest ${atRest.p99Ms} ms`),
      atMost("server RSS, peak through the 200-client load", figures.serverRssPeakDuringMixedMb, 300, " MB", `${rssAtStart} MB at start, ${rssAfterLoad} MB after`),
      atMost(
        "/login first-load JavaScript ÷ a blank Next page",
        round(javascript.gzipBytes / blankJavaScript.gzipBytes),
        1.3,
        "×",
        `${Math.round(javascript.gzipBytes / 1024)} ÷ ${Math.round(blankJavaScript.gzipBytes / 1024)} KiB gzip`,
      ),
      atLeast("sign-in throughput ÷ bcrypt.compare alone", round(login.perSecond / bcryptPerSecond), 0.95, "×", `${figures.loginPerSecond} ÷ ${figures.bcryptComparePerSecond} per second`),
      atMost("cold start ÷ a trivial server's npm start", round(figures.coldStartMs / trivialColdStartMs, 1), 4, "×", `${figures.coldStartMs} ÷ ${trivialColdStartMs} ms`),
      atLeast("200-client load: sign-ins per second", figures.mixed.signInsPerSecond, 2.2, "/s", `${signIns.ok} in ${MIXED_SECONDS} s, ${figures.mixed.timeouts} timeouts`),
      atMost("200-client load: sign-in p99", signIns.p99Ms, 5000, " ms", `p50 ${signIns.p50Ms} ms; ${signIns.laterP99Ms} ms without first answers`),
      atMost(
        "200-client load: pages p99",
        pages.p99Ms,
        1000,
        " ms",
        `${figures.mixed.pagesPerSecond} pages/s; ${pages.laterP99Ms} ms without first answers`,
      ),
      atMost(
        "200-client load: /me p99",
        me.p99Ms,
        1000,
        " ms",
        `${figures.mixed.mePerSecond} answers/s; ${me.laterP99Ms} ms without first answers (slowest first answer of all: ${figures.mixed.firstAnswerMaxMs} ms)`,
      ),
      atLeast("GET /api/v1/me (bearer) ÷ GET /api/health", round(mePerSecond / healthPerSecond), 0.8, "×", `${figures.mePerSecond} ÷ ${figures.healthPerSecond} per second`),
    ];
    return { database: database.description, kind: database.kind, loadAverage: round(loadavg()[0], 1), figures, goals, runs: { login, bcryptBefore, bcryptAfter, atRest, duringFlood, flood, duringBurn, pages, me, signIns, signUps } };
  } finally {
    await server.stop();
  }
}

type Result = Awaited<ReturnType<typeof benchOn>>;

const formatValue = (goal: Goal) => (goal.value === null ? "–" : `${goal.value.toLocaleString("en")}${goal.unit}`);

/** The README's performance table: one row per goal, one column per database. */
function readmeTable(results: Result[], when: string, machine: string, start: string[], settings: { seconds: number; mixedSeconds: number }): string {
  const header = `| figure | goal | ${results.map((result) => result.kind).join(" | ")} |\n|---|---|${results.map(() => "---|").join("")}`;
  const rows = results[0].goals.map(
    (goal, index) =>
      `| ${goal.figure} | ${goal.goal} | ${results.map((result) => { const own = result.goals[index]; return `${own.met ? "✅" : "❌"} **${formatValue(own)}**: ${own.detail}`; }).join(" | ")} |`,
  );
  return `${README_BEGIN}\n_${when}, ${machine}; \`npm start\` as shipped (\`node ${start.join(" ")}\`); runs of ${settings.seconds} s, the mixed load ${settings.mixedSeconds} s._\n\n${header}\n${rows.join("\n")}\n${README_END}`;
}

/** Rewrites the README's table between its markers from a report. */
function writeReadme(report: Report): void {
  const readme = readFileSync(README, "utf8");
  const begin = readme.indexOf(README_BEGIN);
  const end = readme.indexOf(README_END);
  if (!report.results.length || begin < 0 || end < begin) return;
  const machine = `${report.machine.cores} × ${report.machine.cpu?.trim()}, ${report.machine.memoryGb} GB, Node ${report.machine.node}`;
  const table = readmeTable(report.results, report.date.slice(0, 10), machine, report.start, report.settings);
  writeFileSync(README, readme.slice(0, begin) + table + readme.slice(end + README_END.length));
  console.log(`Rewrote the performance table in ${README}`);
}

async function main() {
  if (!existsSync(".next/BUILD_ID")) execFileSync("npx", ["next", "build"], { stdio: "inherit" });
  console.log("Baselines: a trivial server's cold start, a blank Next page's JavaScript…");
  const trivial = trivialServerDirectory();
  let trivialColdStartMs: number;
  try {
    const runs: number[] = [];
    for (let run = 0; run < COLD_STARTS; run++) runs.push(await coldStartMs(trivial.dir, PORT + 2));
    trivialColdStartMs = median(runs);
  } finally {
    trivial.cleanup();
  }
  const blankJavaScript = await blankNextPageJavaScript(PORT + 3);

  const results: Result[] = [];
  for (const name of DATABASES) {
    const database = name === "pglite" ? embeddedBenchDatabase() : postgresBenchDatabase(55490);
    if (!database) {
      console.log(`No PostgreSQL (no DATABASE_URL, no server binaries): ${name} skipped`);
      continue;
    }
    try {
      results.push(await benchOn(database, trivialColdStartMs, blankJavaScript));
    } finally {
      database.cleanup();
    }
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model?.trim()}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}`;
  for (const result of results) {
    console.log(`\n${result.database}; ${machine}; load average ${result.loadAverage}\n`);
    console.table(result.goals.map(({ figure, goal, met, detail, ...rest }) => ({ figure, measured: formatValue({ figure, goal, met, detail, ...rest }), goal, met, detail })));
  }
  mkdirSync(path.dirname(OUTPUT), { recursive: true });
  const report: Report = {
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model, cores: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
    start: npmStartNodeArguments(),
    settings: { seconds: SECONDS, mixedSeconds: MIXED_SECONDS, loginConnections: LOGIN_CONNECTIONS, readConnections: READ_CONNECTIONS, probeRatePerSecond: PROBE_RATE_PER_SECOND, bcryptCost: BCRYPT_COST, mixedClients: MIXED_CLIENTS },
    results,
  };
  writeFileSync(OUTPUT, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`Wrote ${OUTPUT}`);
  writeReadme(report);
}

type Report = {
  date: string;
  machine: { cpu?: string; cores: number; memoryGb: number; node: string };
  start: string[];
  settings: { seconds: number; mixedSeconds: number } & Record<string, unknown>;
  results: Result[];
};

// `npm run bench -- --readme`: the README's table again from the last report, without measuring.
if (process.argv.includes("--readme")) {
  writeReadme(JSON.parse(readFileSync(OUTPUT, "utf8")) as Report);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
