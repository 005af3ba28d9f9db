import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** Resident memory of a process, from /proc (Linux). */
export function rssMegabytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((entry) => entry.startsWith("VmRSS:"));
  return Math.round(Number(line?.replace(/\D+/g, "") ?? 0) / 1024);
}

/** Whether PostgreSQL's server binaries are installed, so a throwaway cluster can be started. */
export const hasPostgresBinaries = (() => {
  try {
    execFileSync("which", ["initdb", "pg_ctl"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
