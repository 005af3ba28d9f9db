import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { hasPostgresBinaries } from "./system";

export type BenchDatabase = { url: string; kind: string; cleanup: () => void };

/** DATABASE_URL when it names PostgreSQL, else a throwaway PostgreSQL cluster on `port`, else a PGlite folder. */
export function benchDatabase(port: number): BenchDatabase {
  const given = process.env.DATABASE_URL;
  if (given?.startsWith("postgres")) return { url: given, kind: "PostgreSQL (DATABASE_URL)", cleanup: () => {} };
  if (hasPostgresBinaries) {
    const [dir, url] = execFileSync("bash", ["scripts/pg-cluster.sh", "start", String(port)], { encoding: "utf8" }).trim().split(" ");
    return { url, kind: "PostgreSQL 15 (throwaway local cluster)", cleanup: () => execFileSync("bash", ["scripts/pg-cluster.sh", "stop", dir]) };
  }
  const dir = mkdtempSync(path.join(tmpdir(), "latchkey-bench-"));
  return { url: `pglite:${dir}`, kind: "PGlite (embedded)", cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
