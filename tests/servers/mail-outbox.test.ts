import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasPostgresBinaries, startPostgresCluster, type PostgresCluster } from "../support/postgres-cluster";
import { postJson, startProductionServer, uniqueAccount as uniqueAccountWith, type RunningServer } from "../support/servers";
import { startSmtpServer, tokenFrom, type TestSmtpServer } from "../support/smtp";

const PASSWORD = "correct horse battery staple again";
const BASE_ENV = {
  AUTH_SECRET: "mail-outbox-tests-secret-that-is-long-enough",
  RATE_LIMIT_SIGNUPS_PER_IP: "100000/1h",
  RATE_LIMIT_MAILS_PER_IP: "100000/1h",
  RATE_LIMIT_MAILS_PER_ADDRESS: "100/1h",
};
/** A claim holds a mail this long (lib/services/mail-queue.ts): a server killed mid-send delays it by up to that. */
const LEASE_MS = 120_000;

const uniqueAccount = (prefix: string) => uniqueAccountWith(prefix, PASSWORD);
const received = (smtp: TestSmtpServer, to: string, subject: RegExp) => smtp.mails.filter((mail) => mail.to === to && subject.test(mail.subject));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("mail survives an SMTP outage and a crash (one server, embedded database)", () => {
  const PORT = 3442;
  const dir = mkdtempSync(path.join(tmpdir(), "latchkey-outbox-"));
  let smtp: TestSmtpServer;
  let server: RunningServer | undefined;
  const env = () => ({ ...BASE_ENV, DATABASE_URL: `pglite:${dir}`, AUTH_URL: `http://127.0.0.1:${PORT}`, SMTP_URL: smtp.url });

  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await server?.stop();
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("an SMTP server that refuses for 30 seconds: the request doesn't wait, and the mail arrives afterwards, once", async () => {
    server = await startProductionServer(PORT, env());
    const account = uniqueAccount("outage");
    expect((await postJson(server, "/api/v1/auth/signup", account)).status).toBe(201);
    await smtp.waitForMail(account.email, /Confirm your email/);

    const before = smtp.attempts();
    smtp.failNext(1_000_000);
    const refusedUntil = Date.now() + 30_000;
    const reopen = setTimeout(() => smtp.failNext(0), 30_000);
    try {
      const started = Date.now();
      expect((await postJson(server, "/api/v1/auth/password/forgot", { email: account.email })).status).toBe(202);
      expect(Date.now() - started).toBeLessThan(2_000);
      const mail = await smtp.waitForMail(account.email, /Reset your password/, 120_000);
      expect(Date.now()).toBeGreaterThanOrEqual(refusedUntil);
      expect(tokenFrom(mail, "/reset-password")).toBeTruthy();
    } finally {
      clearTimeout(reopen);
      smtp.failNext(0);
    }
    // Refused several times, backing off in between: not once a second for 30 seconds.
    const tries = smtp.attempts() - before;
    expect(tries).toBeGreaterThan(2);
    expect(tries).toBeLessThan(12);
    await pause(2_000);
    expect(received(smtp, account.email, /Reset your password/)).toHaveLength(1);
    // Stopping doesn't wait for mail, and nothing is left to wait for.
    expect(await server.stop()).toBe(0);
    server = undefined;
  }, 180_000);

  it("a server killed with kill -9 right after a reset request sends the mail after its restart", async () => {
    server = await startProductionServer(PORT, env());
    const account = uniqueAccount("crash");
    expect((await postJson(server, "/api/v1/auth/signup", account)).status).toBe(201);
    await smtp.waitForMail(account.email, /Confirm your email/);

    // Refused until the kill, so that only the database holds the mail when the server dies.
    smtp.failNext(1_000_000);
    expect((await postJson(server, "/api/v1/auth/password/forgot", { email: account.email })).status).toBe(202);
    server.process.kill("SIGKILL");
    expect(await server.stop()).toBeNull();
    smtp.failNext(0);
    expect(received(smtp, account.email, /Reset your password/)).toHaveLength(0);

    server = await startProductionServer(PORT, env());
    // At once if the first attempt was recorded before the kill; after the lease if the kill came mid-send.
    const mail = await smtp.waitForMail(account.email, /Reset your password/, LEASE_MS + 30_000);
    const reset = await postJson(server, "/api/v1/auth/password/reset", { token: tokenFrom(mail, "/reset-password"), password: "a new passphrase after the crash" });
    expect(reset.status).toBe(204);
    await pause(2_000);
    expect(received(smtp, account.email, /Reset your password/)).toHaveLength(1);
  }, LEASE_MS + 120_000);
});

describe.runIf(hasPostgresBinaries)("two instances on one PostgreSQL", () => {
  let cluster: PostgresCluster;
  let smtp: TestSmtpServer;
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    cluster = startPostgresCluster();
    smtp = await startSmtpServer();
    const env = { ...BASE_ENV, DATABASE_URL: cluster.url, AUTH_URL: "http://127.0.0.1:3443", SMTP_URL: smtp.url };
    [a, b] = await Promise.all([startProductionServer(3443, env), startProductionServer(3444, env)]);
  }, 180_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await smtp?.close();
    cluster?.remove();
  });

  it("deliver each mail once, including a backlog both pick up when the SMTP server comes back", async () => {
    const accounts = Array.from({ length: 12 }, () => uniqueAccount("twin"));
    // A backlog: both servers' workers find the same due rows each time the back-off ends.
    smtp.failNext(1_000_000);
    await Promise.all(accounts.map((account, index) => postJson(index % 2 ? a : b, "/api/v1/auth/signup", account)));
    await Promise.all(accounts.map((account, index) => postJson(index % 2 ? b : a, "/api/v1/auth/password/forgot", { email: account.email })));
    await pause(3_000);
    smtp.failNext(0);
    for (const account of accounts) {
      await smtp.waitForMail(account.email, /Confirm your email/, 60_000);
      await smtp.waitForMail(account.email, /Reset your password/, 60_000);
    }
    // Time for a second copy, if a claim could be taken twice.
    await pause(5_000);
    for (const account of accounts) {
      expect(received(smtp, account.email, /Confirm your email/), account.email).toHaveLength(1);
      expect(received(smtp, account.email, /Reset your password/), account.email).toHaveLength(1);
    }
    const sentBy = (server: RunningServer) => (server.output().match(/Sending a mail failed/g) ?? []).length;
    // Both took part: each tried some of the mail while the SMTP server refused.
    expect(sentBy(a)).toBeGreaterThan(0);
    expect(sentBy(b)).toBeGreaterThan(0);
  }, 180_000);
});
