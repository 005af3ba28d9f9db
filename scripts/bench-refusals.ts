// `npm run bench:refusals`: the refused-sign-in flood of `npm run bench` alone (see scripts/lib/refusal-flood.ts),
// for a quick before/after: BENCH_APP_DIR runs another checkout's production build (e.g. main's). Uses DATABASE_URL
// when it names a PostgreSQL database, else an embedded PGlite folder (what `npm start` runs by default).
// Writes .data/bench/refusals.json.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { runLoad } from "./lib/load-run";
import { startProductionServer } from "./lib/production-server";
import { REFUSAL_FLOOD_GOAL, REFUSAL_FLOOD_SERVER_ENV, measureRefusalFlood } from "./lib/refusal-flood";
import { rssMegabytes } from "./lib/system";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const PORT = Number(process.env.BENCH_PORT ?? 3261);
const APP_DIR = path.resolve(process.env.BENCH_APP_DIR ?? ".");
const OUTPUT = ".data/bench/refusals.json";

function chooseDatabase(): { url: string; kind: string; cleanup: () => void } {
  const given = process.env.DATABASE_URL;
  if (given?.startsWith("postgres")) return { url: given, kind: "PostgreSQL (DATABASE_URL)", cleanup: () => {} };
  const dir = mkdtempSync(path.join(tmpdir(), "latchkey-bench-refusals-"));
  return { url: `pglite:${dir}`, kind: "PGlite (embedded)", cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

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
      ...REFUSAL_FLOOD_SERVER_ENV,
      // One benchmark address stands for a flood from many: only the account's back-off refuses.
      RATE_LIMIT_LOGIN_FAILURES_PER_IP: "100000000/15m",
      RATE_LIMIT_TOKEN_REQUESTS_PER_IP: "100000000/15m",
    },
    { keepOutput: false, cwd: APP_DIR },
  );
  try {
    console.log(`${database.kind}, app in ${APP_DIR}`);
    const flood = await measureRefusalFlood(server.url, (job) => runLoad({ seconds: SECONDS, ...job }), { rounds: ROUNDS, log: console.log });
    // Other work on a shared machine moves both floods' figures; the load average says how much there was.
    console.log(`\n${database.kind}; ${cpus().length} × ${cpus()[0]?.model}; load average ${loadavg()[0].toFixed(1)}; ${ROUNDS} rounds of ${SECONDS} s\n`);
    console.table({ malformed: flood.malformed, throttled: flood.throttled });
    console.table([
      { figure: "/api/health p99, refused-sign-in flood ÷ malformed-body flood", value: flood.ratio, goal: `≤ ${REFUSAL_FLOOD_GOAL}`, met: flood.ratio <= REFUSAL_FLOOD_GOAL },
    ]);
    const report = {
      date: new Date().toISOString(),
      appDir: APP_DIR,
      database: database.kind,
      loadAverage: loadavg()[0],
      settings: { seconds: SECONDS, rounds: ROUNDS },
      figures: { ratio: flood.ratio, malformed: flood.malformed, throttled: flood.throttled, serverRssAfterMb: rssMegabytes(server.process.pid!) },
      runs: flood.runs,
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
