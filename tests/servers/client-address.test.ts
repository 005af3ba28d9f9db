import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startProductionServer, type RunningServer } from "../support/servers";

// The per-address failure budget, attacked over real HTTP: from many addresses of one IPv6 /64 behind a proxy, and
// with a forged peer header against a server started without server.mjs.

const LIMIT = 5;
const BASE_ENV = {
  AUTH_SECRET: "client-address-test-secret-long-enough",
  LOG_LEVEL: "warn",
  RATE_LIMIT_LOGIN_FAILURES_PER_IP: `${LIMIT}/15m`,
};

const folders: string[] = [];
const servers: RunningServer[] = [];
afterAll(async () => {
  for (const server of servers) await server.stop();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

async function start(port: number, env: Record<string, string>, script?: string[]): Promise<RunningServer> {
  const folder = mkdtempSync(path.join(tmpdir(), "latchkey-address-"));
  folders.push(folder);
  const server = await startProductionServer(port, { ...BASE_ENV, DATABASE_URL: `pglite:${folder}`, ...env }, { script });
  servers.push(server);
  return server;
}

/** A failed sign-in for an account that doesn't exist (no per-account back-off in the way), from these headers. */
async function failedLogin(server: RunningServer, headers: Record<string, string>, attempt: number): Promise<number> {
  const response = await fetch(`${server.url}/api/v1/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ identifier: `nobody${attempt}@example.com`, password: "a guess that is long enough" }),
  });
  return response.status;
}

describe("the client address behind the per-address limits", () => {
  it("counts an IPv6 /64 behind a proxy as one client", async () => {
    const server = await start(3251, { AUTH_TRUST_PROXY: "1" });
    const fromOneNetwork = (index: number) => ({ "x-forwarded-for": `2001:db8:7:8::${(index + 1).toString(16)}` });
    const statuses: number[] = [];
    for (let attempt = 0; attempt <= LIMIT; attempt += 1) statuses.push(await failedLogin(server, fromOneNetwork(attempt), attempt));
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(401), 429]);
    // Another /64 is another client.
    expect(await failedLogin(server, { "x-forwarded-for": "2001:db8:7:9::1" }, 99)).toBe(401);
  });

  it("started without server.mjs, a forged peer header chooses no budget of its own", async () => {
    const server = await start(3252, {}, ["node_modules/next/dist/bin/next", "start", "-p", "3252", "-H", "127.0.0.1"]);
    const statuses: number[] = [];
    for (let attempt = 0; attempt <= LIMIT; attempt += 1) {
      statuses.push(await failedLogin(server, { "x-latchkey-peer": `198.51.100.${attempt + 1}` }, attempt));
    }
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(401), 429]);
  });
});
