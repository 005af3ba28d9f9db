import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserSessionCookie, startProductionServer } from "../support/servers";
import { startSmtpServer, tokenFrom, type TestSmtpServer } from "../support/smtp";

const PORT = 3247;
const PASSWORD = "correct horse battery staple again";
const NEW_PASSWORD = "a brand new passphrase nobody logs";
const WRONG_PASSWORD = "a wrong passphrase that must stay secret";
const SECRET = "logging-test-secret-that-is-long-enough";

type LogLine = { level: string; msg?: string; reqId?: string; method?: string; path?: string; status?: number; durationMs?: number };

describe("structured logs", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "latchkey-logs-"));
  let smtp: TestSmtpServer;
  const env = () => ({
    DATABASE_URL: `pglite:${dir}`,
    AUTH_SECRET: SECRET,
    AUTH_URL: `http://127.0.0.1:${PORT}`,
    SMTP_URL: smtp.url,
  });

  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("are one JSON object per line, tag every request with its id, and never hold a password, token, cookie or key", async () => {
    const server = await startProductionServer(PORT, env());
    const post = (route: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${server.url}${route}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
    const account = { username: `logs${Date.now() % 100000}`, email: `logs.${Date.now()}@example.com`, password: PASSWORD };

    const signup = await post("/api/v1/auth/signup", account);
    expect(signup.status).toBe(201);
    const signupRequestId = signup.headers.get("x-request-id");
    expect(signupRequestId).toMatch(/^[0-9a-f-]{36}$/);
    const { access_token: accessToken } = await (await post("/api/v1/auth/token", { identifier: account.username, password: PASSWORD })).json();
    expect((await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${accessToken}` } })).status).toBe(200);
    expect((await post("/api/v1/auth/token", { identifier: account.email, password: WRONG_PASSWORD })).status).toBe(401);

    expect((await post("/api/v1/auth/password/forgot", { email: account.email })).status).toBe(202);
    const resetToken = tokenFrom(await smtp.waitForMail(account.email, /reset/i), "/reset-password");
    expect((await fetch(`${server.url}/reset-password?token=${resetToken}`)).status).toBe(200);
    expect((await post("/api/v1/auth/password/reset", { token: resetToken, password: NEW_PASSWORD })).status).toBe(204);

    const cookie = (await browserSessionCookie(server.url, account.username, NEW_PASSWORD))!;
    expect(cookie).toBeTruthy();
    const created = await post("/api/v1/api-keys", { name: "logging" }, { cookie, origin: server.url });
    expect(created.status).toBe(201);
    const { key } = await created.json();
    expect((await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    expect(await server.stop()).toBe(0);

    const output = server.output();
    const lines = output.split("\n").filter(Boolean);
    const parsed = lines.map((line) => JSON.parse(line) as LogLine);
    for (const secret of [PASSWORD, NEW_PASSWORD, WRONG_PASSWORD, accessToken, resetToken, cookie.split("=")[1], key, SECRET]) {
      expect(output).not.toContain(secret);
    }
    expect(output).not.toMatch(/\$2[aby]\$\d\d\$/);
    const signupLine = parsed.find((line) => line.reqId === signupRequestId);
    expect(signupLine).toMatchObject({ level: "info", method: "POST", path: "/api/v1/auth/signup", status: 201, durationMs: expect.any(Number) });
    // The token lives in the query string, which request lines leave out.
    expect(parsed.filter((line) => line.path?.startsWith("/reset-password"))).toEqual([expect.objectContaining({ path: "/reset-password", status: 200 })]);
    const requestLines = parsed.filter((line) => line.path);
    expect(new Set(requestLines.map((line) => line.reqId)).size).toBe(requestLines.length);
  });

  it("without SMTP_URL in production, note each mail's kind and recipient in one warning, never its link or token", async () => {
    const server = await startProductionServer(PORT, { ...env(), SMTP_URL: "" });
    const post = (route: string, body: unknown) =>
      fetch(`${server.url}${route}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const account = { username: `nosmtp${Date.now() % 100000}`, email: `nosmtp.${Date.now()}@example.com`, password: PASSWORD };
    expect((await post("/api/v1/auth/signup", account)).status).toBe(201);
    expect((await post("/api/v1/auth/password/forgot", { email: account.email })).status).toBe(202);
    // The worker notes each mail moments after the request (a stop no longer waits for mail).
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (server.output().match(/Mail NOT sent/g) ?? []).length < 2) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await server.stop()).toBe(0);

    const output = server.output();
    const parsed = output.split("\n").filter(Boolean).map((line) => JSON.parse(line) as LogLine & { mail?: { kind: string; to: string } });
    const notes = parsed.filter((line) => line.mail);
    expect(notes).toEqual(
      ["verify_email", "reset_password"].map((kind) =>
        expect.objectContaining({ level: "warn", msg: "Mail NOT sent: SMTP_URL is not set", mail: { kind, to: account.email } }),
      ),
    );
    expect(output).not.toMatch(/token=|\/verify-email\?|\/reset-password\?|Reset your password|Confirm your email/);
  });

  it("follow LOG_LEVEL, and an unknown level stops the server with one clear line", async () => {
    const quiet = await startProductionServer(PORT, { ...env(), LOG_LEVEL: "warn" });
    await fetch(`${quiet.url}/api/health`);
    await fetch(`${quiet.url}/login`);
    expect(await quiet.stop()).toBe(0);
    const levels = quiet.output().split("\n").filter(Boolean).map((line) => (JSON.parse(line) as LogLine).level);
    expect(levels.filter((level) => level === "info" || level === "debug")).toEqual([]);

    const refused = spawnSync("node", ["server.mjs"], {
      env: { ...process.env, ...env(), NODE_ENV: "production", PORT: String(PORT), LOG_LEVEL: "chatty" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(refused.status).toBe(1);
    const output = `${refused.stdout}${refused.stderr}`.trim();
    expect(output.split("\n")).toHaveLength(1);
    expect(output).toMatch(/^Latchkey cannot start: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent$/);

    // A bad environment found once logging runs is still one line, as JSON.
    const noSecret = spawnSync("node", ["server.mjs"], {
      env: { ...process.env, ...env(), AUTH_SECRET: "short", NODE_ENV: "production", PORT: String(PORT) },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(noSecret.status).toBe(1);
    const errors = `${noSecret.stdout}${noSecret.stderr}`.split("\n").filter((line) => line.includes('"level":"error"'));
    expect(errors.map((line) => (JSON.parse(line) as LogLine).msg)).toEqual([
      "Latchkey cannot start: AUTH_SECRET must be set to at least 32 bytes in production (try: openssl rand -base64 32)",
    ]);
  });
});
