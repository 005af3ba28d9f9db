// `npm test`: lint, typecheck, unit tests, integration tests (PGlite, then PostgreSQL when TEST_DATABASE_URL is
// set), a production build, production servers (faults, load, logs, two instances sharing that PostgreSQL), and
// the Playwright suite.
// Ends with one "N passed, N failed" line for all of them.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";

const REPORTS = ".data/test-reports";
rmSync(REPORTS, { recursive: true, force: true });
mkdirSync(REPORTS, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function run(title, command, args, env = {}) {
  console.log(`\n=== ${title}: ${command} ${args.join(" ")}`);
  const started = Date.now();
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
  console.log(`=== ${title}: ${result.status === 0 ? "ok" : `FAILED (exit ${result.status})`} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  if (result.status !== 0) failures.push(title);
  return result.status === 0;
}

function countVitest(file) {
  try {
    const report = JSON.parse(readFileSync(file, "utf8"));
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests;
    totals.skipped += report.numPendingTests + report.numTodoTests;
  } catch {
    totals.failed += 1;
  }
}

function countPlaywright(file) {
  try {
    const { stats } = JSON.parse(readFileSync(file, "utf8"));
    totals.passed += stats.expected + stats.flaky;
    totals.failed += stats.unexpected;
    totals.skipped += stats.skipped;
  } catch {
    totals.failed += 1;
  }
}

function vitest(title, project, file, env) {
  const ok = run(title, "npx", ["vitest", "run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile=${file}`], env);
  countVitest(file);
  return ok;
}

const steps = [
  () => run("lint", "npx", ["eslint", "--max-warnings", "0", "."]),
  () => run("typecheck", "npx", ["tsc", "--noEmit"]),
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
  () => {
    const file = `${REPORTS}/e2e.json`;
    const ok = run("Playwright", "npx", ["playwright", "test"], { PLAYWRIGHT_JSON_OUTPUT_NAME: file });
    countPlaywright(file);
    return ok;
  },
];

for (const step of steps) {
  if (!step()) break;
}

console.log(failures.length ? `\nFailed: ${failures.join(", ")}` : "\nAll checks passed.");
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failures.length ? 1 : 0);
