import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";

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

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) of each thread of a process, by thread id, with its name (Linux). */
export function threadCpuSeconds(pid: number): Map<number, { name: string; seconds: number }> {
  const threads = new Map<number, { name: string; seconds: number }>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      // The name sits in parentheses and may hold spaces: the fields after it are counted from its end.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      threads.set(Number(tid), { name, seconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND });
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return threads;
}

/** CPU seconds of every process with this name (e.g. `postgres`: the server and its backends), by /proc. */
export function namedProcessesCpuSeconds(name: string): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      if (stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")) !== name) continue;
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      total += (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
    } catch {
      // the process ended between the listing and the read
    }
  }
  return total;
}
