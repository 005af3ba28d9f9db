// Starts the production build for the browser tests on a fresh database with one admin.
// The admin is created first because an embedded PGlite folder can be opened by one process at a time.
import { spawn, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";

const url = process.env.DATABASE_URL ?? "";
if (url.startsWith("pglite:")) rmSync(url.slice("pglite:".length), { recursive: true, force: true });

const created = spawnSync(
  "npx",
  [
    "tsx",
    "scripts/admin-create.ts",
    "--email",
    process.env.E2E_ADMIN_EMAIL,
    "--username",
    process.env.E2E_ADMIN_USERNAME,
    "--password",
    process.env.E2E_ADMIN_PASSWORD,
  ],
  { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } },
);
if (created.status !== 0) process.exit(created.status ?? 1);

const server = spawn("node", ["server.mjs"], { stdio: "inherit", env: process.env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
