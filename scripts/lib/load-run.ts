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
  /** The p99 of every answer but each connection's first: what a client already connected waits. */
  laterP99Ms: number | null;
  /** The slowest first answer on a new connection (libuv accepts one connection per turn of a busy event loop). */
  firstAnswerMaxMs: number | null;
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

/**
 * The 200-client mix of the load test and `npm run bench`: 100 clients reading pages, 80 calling /me, 12 signing in
 * and 8 signing up, each sending its next request as soon as the last is answered.
 */
export const MIXED_CLIENTS = { pages: 100, me: 80, login: 12, signup: 8 } as const;
