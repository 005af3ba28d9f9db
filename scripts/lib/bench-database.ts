import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { hasPostgresBinaries } from "./system";

export type BenchDatabase = { url: string; kind: "PGlite" | "PostgreSQL"; description: string; cleanup: () => void };

/** A throwaway embedded PGlite folder: what `npm start` runs without DATABASE_URL. */
export function embeddedBenchDatabase(): BenchDatabase {
  const dir = mkdtempSync(path.join(tmpdir(), "latchkey-bench-"));
  return { url: `pglite:${dir}`, kind: "PGlite", description: "PGlite (embedded)", cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** DATABASE_URL when it names PostgreSQL, else a throwaway cluster on `port` when the server binaries are installed. */
export function postgresBenchDatabase(port: number): BenchDatabase | null {
  const given = process.env.DATABASE_URL;
  if (given?.startsWith("postgres")) return { url: given, kind: "PostgreSQL", description: "PostgreSQL (DATABASE_URL)", cleanup: () => {} };
  if (!hasPostgresBinaries) return null;
  const [dir, url] = execFileSync("bash", ["scripts/pg-cluster.sh", "start", String(port)], { encoding: "utf8" }).trim().split(" ");
  return { url, kind: "PostgreSQL", description: "PostgreSQL 15 (throwaway local cluster)", cleanup: () => execFileSync("bash", ["scripts/pg-cluster.sh", "stop", dir]) };
}

/** DATABASE_URL when it names PostgreSQL, else a throwaway PostgreSQL cluster on `port`, else a PGlite folder. */
export function benchDatabase(port: number): BenchDatabase {
  return postgresBenchDatabase(port) ?? embeddedBenchDatabase();
}
