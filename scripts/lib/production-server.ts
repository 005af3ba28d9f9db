import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

export type RunningServer = {
  url: string;
  process: ChildProcess;
  /** What the server wrote: everything, or with `keepOutput: false` (long benchmarks) only the latest lines. */
  output: () => string;
  /** SIGTERM, then wait for the exit; resolves with the exit code. */
  stop: () => Promise<number | null>;
};

/** node's arguments in `npm start` ("node <flags> server.mjs"), so tests and benchmarks run the server as users do. */
export function npmStartNodeArguments(cwd = process.cwd()): string[] {
  const { scripts } = JSON.parse(readFileSync(path.join(cwd, "package.json"), "utf8")) as { scripts: { start: string } };
  const words = scripts.start.trim().split(/\s+/);
  if (words[0] !== "node" || words.at(-1) !== "server.mjs") throw new Error(`npm start is not "node <flags> server.mjs": ${scripts.start}`);
  return words.slice(1);
}

/** `script`: what node runs with its arguments; by default our server, as `npm start` runs it. */
type StartOptions = { timeoutMs?: number; keepOutput?: boolean; script?: string[]; cwd?: string };

/** Starts the production build (`node server.mjs`, as `npm start` does) and waits until /api/health answers. */
export async function startProductionServer(
  port: number,
  env: Record<string, string>,
  { timeoutMs = 90_000, keepOutput = true, script, cwd }: StartOptions = {},
): Promise<RunningServer> {
  const child = spawn("node", script ?? npmStartNodeArguments(cwd), {
    cwd,
    env: { ...process.env, NODE_ENV: "production", LOG_LEVEL: "info", PORT: String(port), HOSTNAME: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output += chunk;
    if (!keepOutput && output.length > 1_000_000) output = output.slice(-100_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    return exited;
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
