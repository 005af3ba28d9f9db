import { spawn } from "node:child_process";

/** What one scripts/bench/load.mjs run prints: latencies are of the 2xx answers only. */
export type LoadResult = {
  ok: number;
  perSecond: number;
  requestsPerSecond: number;
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  p50Ms: number | null;
  p99Ms: number | null;
  seconds: number;
};

/** Runs one autocannon job in its own process (see scripts/bench/load.mjs). */
export function runLoad(job: object): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("node", ["scripts/bench/load.mjs", JSON.stringify(job)], { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.once("exit", (code) =>
      code === 0 ? resolve(JSON.parse(output.trim().split("\n").at(-1) ?? "") as LoadResult) : reject(new Error(`load.mjs exited ${code}`)),
    );
  });
}
