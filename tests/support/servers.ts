export { startProductionServer, type RunningServer } from "../../scripts/lib/production-server";

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
