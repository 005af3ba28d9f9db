// Starts the production build for the browser tests on a fresh database with one admin, and a real SMTP server
// whose deliveries are written to E2E_MAIL_DIR as JSON, where the tests read the mail a user would receive.
// The admin is created first because an embedded PGlite folder can be opened by one process at a time.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { simpleParser } from "mailparser";
import Provider from "oidc-provider";
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

// A real OpenID provider for "Continue with …": whatever login is typed on its (development) sign-in page becomes
// the account id, and the email claim, so each test chooses who signs in.
const oidcIssuer = process.env.AUTH_OIDC_ISSUER;
const oidc = new Provider(oidcIssuer, {
  clients: [
    {
      client_id: process.env.AUTH_OIDC_CLIENT_ID,
      client_secret: process.env.AUTH_OIDC_CLIENT_SECRET,
      redirect_uris: [`${process.env.AUTH_URL}/api/auth/callback/oidc`],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  async findAccount(_context, id) {
    return { accountId: id, claims: async () => ({ sub: id, email: id, email_verified: true, name: id.split("@")[0] }) };
  },
  cookies: { keys: ["e2e-identity-provider-cookie-key"] },
  // Claims in the ID token too, as most providers send them (Auth.js reads the profile from it).
  conformIdTokenClaims: false,
});
const oidcServer = oidc.listen(Number(new URL(oidcIssuer).port));

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
  oidcServer.close();
  smtp.close(() => process.exit(code ?? 0));
});
