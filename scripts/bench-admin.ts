// `npm run bench:admin`: the admin users page's queries against 100,000 users, on a fresh in-memory PGlite
// (or on DATABASE_URL when it names an empty PostgreSQL database). Prints a table and writes JSON.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import { createDatabase, setCurrentDatabase } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { IN_MEMORY_PGLITE, parseDatabaseUrl } from "@/lib/db/target";
import { listUsersWithStatus } from "@/lib/services/admin";
import type { ListUsersQuery } from "@/lib/validations/admin";
import { seedUsers } from "./lib/seed-users";

const USERS = 100_000;
const RUNS = 30;
const OUTPUT = ".data/bench/admin-users.json";

const CASES: Record<string, Partial<ListUsersQuery>> = {
  "first page, newest first": {},
  "page 1,000 (offset 19,980)": { page: 1000 },
  "sort by username": { sort: "username", order: "asc" },
  "sort by last sign-in": { sort: "lastLogin", order: "desc" },
  "search a username fragment": { query: "seed_04242" },
  "search a domain (matches a third)": { query: "example.org" },
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  const url = process.env.DATABASE_URL;
  const target = url?.startsWith("postgres") ? parseDatabaseUrl(url) : { kind: "pglite" as const, dataDir: IN_MEMORY_PGLITE };
  const database = createDatabase(target);
  setCurrentDatabase(database);
  await applyMigrations(database);
  const seedStart = performance.now();
  await seedUsers(database.prisma, USERS);
  console.log(`Seeded ${USERS.toLocaleString("en")} users on ${target.kind} in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

  const results = [];
  for (const [name, overrides] of Object.entries(CASES)) {
    const query: ListUsersQuery = { query: "", sort: "created", order: "desc", page: 1, pageSize: 20, ...overrides };
    await listUsersWithStatus(query);
    const times: number[] = [];
    let total = 0;
    for (let run = 0; run < RUNS; run += 1) {
      const started = performance.now();
      total = (await listUsersWithStatus(query)).total;
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    results.push({ case: name, matches: total, p50Ms: +percentile(times, 50).toFixed(2), p95Ms: +percentile(times, 95).toFixed(2) });
  }
  console.table(results);
  mkdirSync(".data/bench", { recursive: true });
  const report = { date: new Date().toISOString(), database: target.kind, users: USERS, runs: RUNS, cpu: cpus()[0]?.model, cores: cpus().length, results };
  writeFileSync(OUTPUT, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`Wrote ${OUTPUT}`);
  await database.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
