import type { LoadResult } from "./load-run";

/** What both benchmarks of refused sign-ins need on the server: the victim stays in back-off for the whole run. */
export const REFUSAL_FLOOD_SERVER_ENV = { LOGIN_BACKOFF_BASE: "15m" } as const;
export const REFUSAL_FLOOD_GOAL = 1.5;

const FLOOD_CONNECTIONS = 20;
const PROBE_RATE_PER_SECOND = 50;
const PROBE_CONNECTIONS = 2;
const VICTIM = { username: "flooded", email: "flooded@bench.example", password: "the victim's own long password" };

const post = (url: string, route: string, body: object) =>
  fetch(`${url}${route}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/** Signs the victim up, then fails its password until the account is in back-off; returns the 429's Retry-After. */
async function putVictimInBackOff(url: string): Promise<string> {
  const signup = await post(url, "/api/v1/auth/signup", VICTIM);
  if (signup.status !== 201) throw new Error(`signup answered ${signup.status}: ${await signup.text()}`);
  for (let attempt = 0; attempt < 20; attempt++) {
    const response = await post(url, "/api/v1/auth/token", { identifier: VICTIM.username, password: "not the password at all" });
    if (response.status === 429) return response.headers.get("retry-after") ?? "(none)";
    if (response.status !== 401) throw new Error(`a wrong password answered ${response.status}`);
  }
  throw new Error("the account never went into back-off");
}

const mean = (values: (number | null)[]) => Math.round(values.reduce<number>((sum, value) => sum + (value ?? 0), 0) / values.length);
const sumCodes = (runs: LoadResult[]) =>
  runs.reduce<Record<string, number>>((sum, run) => {
    for (const [code, count] of Object.entries(run.statusCodes)) sum[code] = (sum[code] ?? 0) + count;
    return sum;
  }, {});

export type RefusalFlood = {
  retryAfter: string;
  ratio: number;
  malformed: ReturnType<typeof summarise>;
  throttled: ReturnType<typeof summarise>;
  runs: Record<"malformed" | "throttled", { probe: LoadResult; flood: LoadResult }[]>;
};

function summarise(runs: { probe: LoadResult; flood: LoadResult }[]) {
  return {
    healthP50Ms: mean(runs.map((run) => run.probe.p50Ms)),
    healthP99Ms: mean(runs.map((run) => run.probe.p99Ms)),
    floodRequestsPerSecond: mean(runs.map((run) => run.flood.requestsPerSecond)),
    floodStatusCodes: sumCodes(runs.map((run) => run.flood)),
    probeFailures: runs.reduce((sum, run) => sum + run.probe.errors + run.probe.timeouts, 0),
  };
}

/**
 * What a flood of refused sign-ins costs everyone else. /api/health is probed at a steady rate while 20 connections
 * send wrong passwords for one account already in back-off (every answer 429), and, as the baseline, while they send
 * a malformed body to the same route (every answer 400, no database work at all). The figure is the ratio of the
 * probe's p99 between the two, alternating the floods to spread the machine's noise. The server must run with
 * REFUSAL_FLOOD_SERVER_ENV, and with per-address limits high enough that only the account's back-off refuses.
 */
export async function measureRefusalFlood(
  url: string,
  load: (job: object) => Promise<LoadResult>,
  { rounds, log }: { rounds: number; log: (line: string) => void },
): Promise<RefusalFlood> {
  const retryAfter = await putVictimInBackOff(url);
  const probe = { kind: "get", url, path: "/api/health", connections: PROBE_CONNECTIONS, rate: PROBE_RATE_PER_SECOND };
  const floods = {
    malformed: { kind: "post", url, path: "/api/v1/auth/token", connections: FLOOD_CONNECTIONS, body: "{" },
    throttled: {
      kind: "post",
      url,
      path: "/api/v1/auth/token",
      connections: FLOOD_CONNECTIONS,
      body: JSON.stringify({ identifier: VICTIM.username, password: "another wrong guess" }),
    },
  };
  await load({ ...floods.malformed, seconds: 2 });
  await load({ ...floods.throttled, seconds: 2 });
  const runs: RefusalFlood["runs"] = { malformed: [], throttled: [] };
  for (let round = 1; round <= rounds; round++) {
    for (const kind of ["malformed", "throttled"] as const) {
      log(`round ${round}/${rounds}: /api/health during the ${kind} flood…`);
      const [probeRun, floodRun] = await Promise.all([load(probe), load(floods[kind])]);
      runs[kind].push({ probe: probeRun, flood: floodRun });
    }
  }
  const malformed = summarise(runs.malformed);
  const throttled = summarise(runs.throttled);
  const ratio = Math.round((throttled.healthP99Ms / Math.max(1, malformed.healthP99Ms)) * 100) / 100;
  return { retryAfter, ratio, malformed, throttled, runs };
}
