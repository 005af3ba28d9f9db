import type { RunningServer } from "../../scripts/lib/production-server";

export { browserSessionCookie, startProductionServer, type RunningServer } from "../../scripts/lib/production-server";

let accounts = 0;
/** Fields for a new account, unique across the test run. */
export function uniqueAccount(prefix: string, password: string) {
  accounts += 1;
  const tag = `${prefix}${accounts}x${Date.now() % 1_000_000}`;
  return { username: tag, email: `${tag}@example.com`, password };
}

export const postJson = (server: RunningServer, route: string, body: unknown) =>
  fetch(`${server.url}${route}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

