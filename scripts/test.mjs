// `npm test`: lint, typecheck, unit tests, integration tests (PGlite, then PostgreSQL when TEST_DATABASE_URL is
// set), a production build, production servers (faults, load, logs, two instances sharing that PostgreSQL), and
// the Playwright suite.
// Ends with one "N passed, N failed" line for all of them.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import pg from "pg";

const REPORTS = ".data/test-reports";
rmSync(REPORTS, { recursive: true, force: true });
mkdirSync(REPORTS, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

/**
 * Runs one phase. `count` reads the phase's report and returns how many of its tests failed; a phase that fails
 * without a failed test to show for it (lint, typecheck, the build, a broken import or hook) still counts as one
 * failure, so the closing line never reads "0 failed" under a red run.
 */
function run(title, command, args, env = {}, count = () => 0) {
  console.log(`\n=== ${title}: ${command} ${args.join(" ")}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
  console.log(`=== ${title}: ${result.status === 0 ? "ok" : `FAILED (exit ${result.status})`} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  const failedTests = count();
  totals.failed += result.status === 0 ? failedTests : Math.max(1, failedTests);
  if (result.status !== 0) failures.push(title);
  return result.status === 0;
}

/** Failed tests, plus each test file that failed with no failed test in it (an import error, a failing hook). */
function countVitest(file) {
  try {
    const report = JSON.parse(readFileSync(file, "utf8"));
    totals.passed += report.numPassedTests;
    totals.skipped += report.numPendingTests + report.numTodoTests;
    const brokenFiles = report.testResults.filter(
      (result) => result.status === "failed" && !result.assertionResults.some((test) => test.status === "failed"),
    ).length;
    return report.numFailedTests + brokenFiles;
  } catch {
    return 1;
  }
}

function countPlaywright(file) {
  try {
    const { stats, errors = [] } = JSON.parse(readFileSync(file, "utf8"));
    totals.passed += stats.expected + stats.flaky;
    totals.skipped += stats.skipped;
    return stats.unexpected + errors.length;
  } catch {
    return 1;
  }
}

function vitest(title, project, file, env) {
  const args = ["vitest", "run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile=${file}`];
  return run(title, "npx", args, env, () => countVitest(file));
}

/** CI runs the browser tests on PostgreSQL too: a database of their own on the TEST_DATABASE_URL server. */
async function e2eDatabaseUrl() {
  const server = process.env.TEST_DATABASE_URL;
  if (!server) return undefined;
  const name = `latchkey_e2e_${randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

const steps = [
  () => run("lint", "npx", ["eslint", "--max-warnings", "0", "."]),
  () => run("typecheck", "npx", ["tsc", "--noEmit"]),
  () => run("OpenAPI document: Redocly lint", "npx", ["tsx", "scripts/api-contract.ts", "lint"]),
  () => run("OpenAPI document: client types current", "npx", ["tsx", "scripts/api-contract.ts", "check"]),
  () => vitest("unit tests", "unit", `${REPORTS}/unit.json`),
  () => vitest("integration tests on PGlite", "integration", `${REPORTS}/integration-pglite.json`, { INTEGRATION_DATABASE: "pglite" }),
  () => vitest("timing tests on PGlite", "timing", `${REPORTS}/timing.json`, { INTEGRATION_DATABASE: "pglite" }),
  () =>
    process.env.TEST_DATABASE_URL
      ? vitest("integration tests on PostgreSQL", "integration", `${REPORTS}/integration-postgres.json`, {
          INTEGRATION_DATABASE: "postgres",
        })
      : (console.log("\n=== integration tests on PostgreSQL: skipped (TEST_DATABASE_URL is not set)"), true),
  () => run("production build", "npx", ["next", "build"]),
  // Faults, load and logs need only the build; the two-instance test skips itself without TEST_DATABASE_URL.
  () => vitest("production servers", "servers", `${REPORTS}/servers.json`),
  async () => {
    const file = `${REPORTS}/e2e.json`;
    const databaseUrl = await e2eDatabaseUrl();
    const title = `Playwright on ${databaseUrl ? "PostgreSQL" : "PGlite"}`;
    const env = { PLAYWRIGHT_JSON_OUTPUT_NAME: file, ...(databaseUrl && { E2E_DATABASE_URL: databaseUrl }) };
    return run(title, "npx", ["playwright", "test"], env, () => countPlaywright(file));
  },
];

for (const [index, step] of steps.entries()) {
  if (await step()) continue;
  // Phases after a failure don't run; each counts as a failure, so the closing line can't look better than the run.
  const notRun = steps.length - index - 1;
  if (notRun) console.log(`\n=== ${notRun} later phase(s) not run`);
  totals.failed += notRun;
  break;
}

console.log(failures.length ? `\nFailed: ${failures.join(", ")}` : "\nAll checks passed.");
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failures.length ? 1 : 0);
