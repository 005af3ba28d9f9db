// Starts the production build for the browser tests on a fresh database with one admin, and a real SMTP server
// whose deliveries are written to E2E_MAIL_DIR as JSON, where the tests read the mail a user would receive.
// The admin is created first because an embedded PGlite folder can be opened by one process at a time.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

const url = process.env.DATABASE_URL ?? "";
if (url.startsWith("pglite:")) rmSync(url.slice("pglite:".length), { recursive: true, force: true });

const mailDir = process.env.E2E_MAIL_DIR;
rmSync(mailDir, { recursive: true, force: true });
mkdirSync(mailDir, { recursive: true });
let delivered = 0;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((mail) => {
        for (const recipient of session.envelope.rcptTo) {
          delivered += 1;
          const file = path.join(mailDir, `${Date.now()}-${String(delivered).padStart(5, "0")}.json`);
          writeFileSync(file, JSON.stringify({ to: recipient.address, subject: mail.subject, text: mail.text, html: mail.html }));
        }
        callback();
      })
      .catch(callback);
  },
});
const smtpPort = Number(process.env.E2E_SMTP_PORT);
await new Promise((resolve) => smtp.listen(smtpPort, "127.0.0.1", resolve));

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

const server = spawn("node", ["server.mjs"], {
  stdio: "inherit",
  env: { ...process.env, SMTP_URL: `smtp://127.0.0.1:${smtpPort}` },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => {
  smtp.close(() => process.exit(code ?? 0));
});
