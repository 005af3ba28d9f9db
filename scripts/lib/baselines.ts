import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";

/** The gzip size of every script a page loads before it is interactive (the `<script src>` of its HTML). */
export async function firstLoadJavaScript(baseUrl: string, route: string): Promise<{ scripts: number; gzipBytes: number }> {
  const html = await (await fetch(`${baseUrl}${route}`)).text();
  const sources = new Set([...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((match) => match[1]));
  let gzipBytes = 0;
  for (const source of sources) {
    const body = Buffer.from(await (await fetch(new URL(source, baseUrl))).arrayBuffer());
    gzipBytes += gzipSync(body).length;
  }
  return { scripts: sources.size, gzipBytes };
}

async function waitUntilAnswering(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** Resolves once nothing accepts connections on `port` any more (a server that was told to stop has let go of it). */
async function waitUntilClosed(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => (socket.destroy(), resolve(true)));
      socket.once("error", () => resolve(false));
    });
    if (!open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`port ${port} is still in use`);
}

/** Resolves once every process of the group has exited (npm's child too: the embedded database is then closed). */
async function processGroupGone(groupId: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(-groupId, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the processes of npm start (group ${groupId}) did not exit`);
}

/** Runs `npm start` in `cwd` and returns the milliseconds from spawn to the first answer below 500 on /api/health. */
export async function coldStartMs(cwd: string, port: number, env: Record<string, string> = {}): Promise<number> {
  await waitUntilClosed(port, 30_000);
  const started = performance.now();
  const child = spawn("npm", ["start", "--silent"], {
    cwd,
    env: { ...process.env, NODE_ENV: "production", LOG_LEVEL: "warn", PORT: String(port), HOSTNAME: "127.0.0.1", ...env },
    stdio: "ignore",
    detached: true,
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    await waitUntilAnswering(`http://127.0.0.1:${port}/api/health`, 60_000);
    return Math.round(performance.now() - started);
  } finally {
    process.kill(-child.pid!, "SIGTERM");
    await exited;
    await processGroupGone(child.pid!, 30_000);
  }
}

/** A directory whose `npm start` runs the smallest HTTP server there is: the floor for any server's cold start. */
export function trivialServerDirectory(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), "latchkey-trivial-"));
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "trivial", private: true, scripts: { start: "node server.js" } }));
  writeFileSync(path.join(dir, "server.js"), 'require("node:http").createServer((request, response) => response.end("ok")).listen(process.env.PORT);\n');
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** What a Next.js app with one page and nothing else needs from node_modules (linked, not copied). */
const BLANK_APP_PACKAGES = ["next", "react", "react-dom", "scheduler", "@next", "@swc", "styled-jsx", "client-only", "caniuse-lite", "postcss", "nanoid", "picocolors", "source-map-js", "baseline-browser-mapping", "@img", "sharp", "detect-libc", "semver"];

/**
 * The first-load JavaScript of a blank page: an app with one page saying "Blank", built and served by the same
 * `next` as ours, outside the project (so no config, proxy or dependency of ours reaches it).
 */
export async function blankNextPageJavaScript(port: number): Promise<{ scripts: number; gzipBytes: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), "latchkey-blank-next-"));
  try {
    mkdirSync(path.join(dir, "app"));
    mkdirSync(path.join(dir, "node_modules"));
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "blank", private: true }));
    writeFileSync(path.join(dir, "package-lock.json"), "{}");
    writeFileSync(path.join(dir, "next.config.mjs"), "export default {};\n");
    writeFileSync(path.join(dir, "app/layout.jsx"), 'export default function RootLayout({ children }) {\n  return (\n    <html lang="en">\n      <body>{children}</body>\n    </html>\n  );\n}\n');
    writeFileSync(path.join(dir, "app/page.jsx"), "export default function Page() {\n  return <p>Blank</p>;\n}\n");
    for (const name of BLANK_APP_PACKAGES) {
      const source = path.resolve("node_modules", name);
      if (!existsSync(source)) continue;
      try {
        execFileSync("cp", ["-al", source, path.join(dir, "node_modules", name)]);
      } catch {
        execFileSync("cp", ["-r", source, path.join(dir, "node_modules", name)]);
      }
    }
    const next = path.join(dir, "node_modules/next/dist/bin/next");
    execFileSync("node", [next, "build"], { cwd: dir, stdio: "ignore", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    const server = spawn("node", [next, "start", "-p", String(port), "-H", "127.0.0.1"], { cwd: dir, stdio: "ignore" });
    const exited = new Promise((resolve) => server.once("exit", resolve));
    try {
      await waitUntilAnswering(`http://127.0.0.1:${port}/`, 60_000);
      return await firstLoadJavaScript(`http://127.0.0.1:${port}`, "/");
    } finally {
      server.kill("SIGTERM");
      await exited;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
