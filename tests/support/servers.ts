import type { RunningServer } from "../../scripts/lib/production-server";

export { startProductionServer, type RunningServer } from "../../scripts/lib/production-server";

let accounts = 0;
/** Fields for a new account, unique across the test run. */
export function uniqueAccount(prefix: string, password: string) {
  accounts += 1;
  const tag = `${prefix}${accounts}x${Date.now() % 1_000_000}`;
  return { username: tag, email: `${tag}@example.com`, password };
}

export const postJson = (server: RunningServer, route: string, body: unknown) =>
  fetch(`${server.url}${route}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/** Signs in through Auth.js over HTTP (CSRF token, then the credentials callback); returns the Cookie header. */
export async function browserSessionCookie(baseUrl: string, identifier: string, password: string): Promise<string | null> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookies = csrf.headers.getSetCookie().map((line) => line.split(";")[0]);
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { cookie: cookies.join("; "), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, identifier, password, callbackUrl: `${baseUrl}/dashboard` }),
  });
  const session = response.headers.getSetCookie().find((line) => line.startsWith("authjs.session-token="));
  return session ? session.split(";")[0] : null;
}
