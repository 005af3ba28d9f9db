import { spawn, type ChildProcess } from "node:child_process";

export type RunningServer = { url: string; process: ChildProcess; output: () => string; stop: () => Promise<void> };

/** Starts the production build (`node server.mjs`, as `npm start` does) and waits until /api/health answers. */
export async function startProductionServer(port: number, env: Record<string, string>, timeoutMs = 90_000): Promise<RunningServer> {
  const child = spawn("node", ["server.mjs"], {
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), HOSTNAME: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server on ${port} exited early:\n${output}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return { url, process: child, output: () => output, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`server on ${port} did not become healthy:\n${output}`);
}

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
