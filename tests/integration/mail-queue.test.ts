import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { logger } from "@/lib/log";
import { mailTemplates } from "@/lib/mail/templates";
import { changePassword, deleteOwnAccount, signUp } from "@/lib/services/accounts";
import { requestPasswordReset, sendVerificationMail } from "@/lib/services/email-flows";
import { deleteExpiredEmailTokens } from "@/lib/services/email-tokens";
import {
  MAIL_BACKLOG_THRESHOLD_MINUTES,
  deliverDueMail,
  drainMail,
  listQueuedMail,
  mailQueueCounts,
  queueMail,
  retryDelayMs,
  retryFailedMail,
  shouldGiveUp,
  warnAboutMailBacklog,
} from "@/lib/services/mail-queue";
import { PASSWORD, TEST_CONTEXT, createAdminWithToken, createUserWithToken, setEnv } from "../support/http";
import { databaseAndSmtpForFile } from "../support/mail-bed";
import { tokenFrom } from "../support/smtp";

const bed = databaseAndSmtpForFile();
beforeEach(() => {
  setEnv({ SMTP_URL: bed.smtp.url, AUTH_URL: "https://latchkey.example", RATE_LIMIT_MAILS_PER_ADDRESS: "100/1h", RATE_LIMIT_MAILS_PER_IP: "1000/1h" });
});
afterEach(() => {
  bed.smtp.failNext(0);
  vi.restoreAllMocks();
});

const rowsTo = (recipient: string) =>
  bed.database.prisma.outboxMail.findMany({ where: { recipient }, orderBy: { createdAt: "asc" } });
const mailsTo = (to: string, subject: RegExp) => bed.smtp.mails.filter((mail) => mail.to === to && subject.test(mail.subject));
/** Due now, as if its back-off had passed. */
const makeDue = (id: string) => bed.database.prisma.outboxMail.update({ where: { id }, data: { nextAttemptAt: new Date(Date.now() - 1000) } });

/** The SMTP server refuses everything while `during` runs; the mails it causes stay queued. */
async function whileSmtpRefuses<T>(during: () => Promise<T>): Promise<T> {
  bed.smtp.failNext(1000);
  const result = await during();
  await drainMail();
  bed.smtp.failNext(0);
  return result;
}

describe("the outbox", () => {
  it("holds a mail with its link sealed, tied to the link, until it is sent; then keeps neither body nor link", async () => {
    const alice = await createUserWithToken("sealed");
    await whileSmtpRefuses(() => requestPasswordReset(alice.user.email, TEST_CONTEXT));
    const [row] = (await rowsTo(alice.user.email)).filter((mail) => mail.kind === "reset_password");
    const token = await bed.database.prisma.emailToken.findFirstOrThrow({ where: { userId: alice.user.id, purpose: "RESET_PASSWORD" } });
    expect(row).toMatchObject({ status: "PENDING", emailTokenId: token.id, attempts: 1 });
    expect(row.expiresAt?.getTime()).toBe(token.expiresAt.getTime());
    expect(row.lastError).toMatch(/451/);

    await makeDue(row.id);
    await drainMail();
    const mail = mailsTo(alice.user.email, /Reset your password/)[0];
    const link = tokenFrom(mail, "/reset-password");
    expect(row.sealedBody).not.toContain(link);
    expect(row.sealedBody).not.toContain("reset-password");
    const sent = await bed.database.prisma.outboxMail.findUniqueOrThrow({ where: { id: row.id } });
    expect(sent).toMatchObject({ status: "SENT", sealedBody: "", emailTokenId: null, attempts: 2 });
  });

  it("exists only if its cause committed", async () => {
    const before = await bed.database.prisma.outboxMail.count();
    await expect(
      bed.database.prisma.$transaction(async (tx) => {
        await queueMail(tx, mailTemplates.accountDeleted("rolled.back@example.com"));
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await bed.database.prisma.outboxMail.count()).toBe(before);
  });

  it("a signup and its verification mail commit together: if the mail can't be written, there is no account", async () => {
    const email = "no.mail.no.account@example.com";
    // The outbox refuses this one recipient, as a full disk or a lost connection would mid-transaction.
    await bed.database.prisma.$executeRawUnsafe(
      `CREATE FUNCTION refuse_test_recipient() RETURNS trigger AS $$ BEGIN IF NEW.recipient = '${email}' THEN RAISE EXCEPTION 'outbox refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`,
    );
    await bed.database.prisma.$executeRawUnsafe(`CREATE TRIGGER refuse_test_recipient BEFORE INSERT ON "OutboxMail" FOR EACH ROW EXECUTE FUNCTION refuse_test_recipient()`);
    try {
      await expect(signUp({ username: "nomailnoaccount", email, password: PASSWORD }, TEST_CONTEXT)).rejects.toThrow();
      expect(await bed.database.prisma.user.count({ where: { email } })).toBe(0);
    } finally {
      await bed.database.prisma.$executeRawUnsafe(`DROP TRIGGER refuse_test_recipient ON "OutboxMail"`);
      await bed.database.prisma.$executeRawUnsafe(`DROP FUNCTION refuse_test_recipient()`);
    }
    await signUp({ username: "nomailnoaccount", email, password: PASSWORD }, TEST_CONTEXT);
    expect((await rowsTo(email)).map((mail) => mail.kind)).toEqual(["verify_email"]);
  });

  it("doesn't open for another recipient: a row redirected in the database fails instead of sending the link", async () => {
    const bob = await createUserWithToken("redirected");
    await whileSmtpRefuses(() => requestPasswordReset(bob.user.email, TEST_CONTEXT));
    const [row] = (await rowsTo(bob.user.email)).filter((mail) => mail.kind === "reset_password");
    await bed.database.prisma.outboxMail.update({ where: { id: row.id }, data: { recipient: "attacker@example.com", nextAttemptAt: new Date(0) } });
    await drainMail();
    expect(mailsTo("attacker@example.com", /.*/)).toHaveLength(0);
    const after = await bed.database.prisma.outboxMail.findUniqueOrThrow({ where: { id: row.id } });
    expect(after.status).toBe("FAILED");
    expect(after.lastError).toMatch(/does not open/);
  });
});

describe("links end, and so do their unsent mails", () => {
  it("a link that expired before its mail went out is not sent: the mail is marked expired", async () => {
    const carol = await createUserWithToken("expired");
    await whileSmtpRefuses(() => requestPasswordReset(carol.user.email, TEST_CONTEXT));
    const [row] = (await rowsTo(carol.user.email)).filter((mail) => mail.kind === "reset_password");
    await bed.database.prisma.emailToken.update({ where: { id: row.emailTokenId! }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await bed.database.prisma.outboxMail.update({ where: { id: row.id }, data: { expiresAt: new Date(Date.now() - 1000), nextAttemptAt: new Date(0) } });
    await drainMail();
    expect(mailsTo(carol.user.email, /Reset your password/)).toHaveLength(0);
    expect(await bed.database.prisma.outboxMail.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "EXPIRED", sealedBody: "" });
  });

  it("the sweeper marks mail of expired links as expired before deleting the links, so the record stays", async () => {
    const dan = await createUserWithToken("swept");
    await whileSmtpRefuses(() => requestPasswordReset(dan.user.email, TEST_CONTEXT));
    const [row] = (await rowsTo(dan.user.email)).filter((mail) => mail.kind === "reset_password");
    const past = new Date(Date.now() - 1000);
    await bed.database.prisma.emailToken.update({ where: { id: row.emailTokenId! }, data: { expiresAt: past } });
    await bed.database.prisma.outboxMail.update({ where: { id: row.id }, data: { expiresAt: past } });
    await deleteExpiredEmailTokens();
    expect(await bed.database.prisma.outboxMail.findUnique({ where: { id: row.id } })).toMatchObject({ status: "EXPIRED", emailTokenId: null });
  });

  it("a newer reset link, a password change and the account's deletion each drop the unsent mails of the links they end", async () => {
    const erin = await createUserWithToken("revoked");
    const older = await whileSmtpRefuses(async () => {
      await requestPasswordReset(erin.user.email, TEST_CONTEXT);
      return (await rowsTo(erin.user.email)).find((mail) => mail.kind === "reset_password")!;
    });
    await whileSmtpRefuses(() => requestPasswordReset(erin.user.email, TEST_CONTEXT));
    expect(await bed.database.prisma.outboxMail.findUnique({ where: { id: older.id } })).toBeNull();
    const newer = (await rowsTo(erin.user.email)).find((mail) => mail.kind === "reset_password")!;

    await whileSmtpRefuses(() =>
      changePassword(erin.user.id, { currentPassword: PASSWORD, newPassword: "another long passphrase here" }, { context: TEST_CONTEXT }),
    );
    expect(await bed.database.prisma.outboxMail.findUnique({ where: { id: newer.id } })).toBeNull();
    await bed.database.prisma.outboxMail.updateMany({ where: { recipient: erin.user.email }, data: { nextAttemptAt: new Date(0) } });
    await drainMail();
    expect(mailsTo(erin.user.email, /Reset your password/)).toHaveLength(0);
    expect(mailsTo(erin.user.email, /Your password was changed/)).toHaveLength(1);

    const frank = await createUserWithToken("deleted");
    await whileSmtpRefuses(() => sendVerificationMail(frank.user.id, frank.user.email));
    expect((await rowsTo(frank.user.email)).filter((mail) => mail.kind === "verify_email" && mail.status === "PENDING")).toHaveLength(1);
    await whileSmtpRefuses(() => deleteOwnAccount(frank.user.id, PASSWORD, TEST_CONTEXT));
    const left = await rowsTo(frank.user.email);
    expect(left.filter((mail) => mail.status === "PENDING").map((mail) => mail.kind)).toEqual(["account_deleted"]);
  });
});

describe("delivery", () => {
  it("a worker that died mid-send leaves the mail to be sent once its lease ends; its late outcome changes nothing", async () => {
    const grace = await createUserWithToken("leased");
    await whileSmtpRefuses(() => requestPasswordReset(grace.user.email, TEST_CONTEXT));
    const [row] = (await rowsTo(grace.user.email)).filter((mail) => mail.kind === "reset_password");
    // A claim by a worker that was then killed: it holds the lease, and it ends.
    await bed.database.prisma.outboxMail.update({ where: { id: row.id }, data: { leaseId: "dead-worker", nextAttemptAt: new Date(Date.now() + 60_000) } });
    expect(await deliverDueMail()).toBe(0);
    await bed.database.prisma.outboxMail.update({ where: { id: row.id }, data: { nextAttemptAt: new Date(Date.now() - 1000) } });
    await drainMail();
    expect(mailsTo(grace.user.email, /Reset your password/)).toHaveLength(1);
    await bed.database.prisma.outboxMail.updateMany({ where: { id: row.id, leaseId: "dead-worker", status: "PENDING" }, data: { status: "FAILED" } });
    expect((await bed.database.prisma.outboxMail.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("SENT");
  });

  it("workers racing for the same mail send it once", async () => {
    const recipients = Array.from({ length: 25 }, (_, index) => `race.${index}.${Date.now()}@example.com`);
    await bed.database.prisma.$transaction(recipients.map((to) => queueMail(bed.database.prisma, mailTemplates.accountDeleted(to))));
    await Promise.all([deliverDueMail(), deliverDueMail(), deliverDueMail()]);
    await drainMail();
    for (const to of recipients) expect(mailsTo(to, /deleted/)).toHaveLength(1);
  });

  it("backs off exponentially with jitter, and gives up after about a day of waiting", () => {
    expect(retryDelayMs(1, () => 0.5)).toBe(2_000);
    expect(retryDelayMs(3, () => 0.5)).toBe(8_000);
    expect(retryDelayMs(3, () => 0)).toBe(6_000);
    expect(retryDelayMs(3, () => 1)).toBe(10_000);
    expect(retryDelayMs(40, () => 0.5)).toBe(60 * 60 * 1000);
    expect(shouldGiveUp(10)).toBe(false);
    expect(shouldGiveUp(40)).toBe(true);
  });
});

describe("what admins see", () => {
  it("failed, retrying and queued mail by recipient, kind, attempts and error, never the link; Retry sends a failed one, audited", async () => {
    const admin = await createAdminWithToken("mailadmin");
    const henry = await createUserWithToken("failing");
    await whileSmtpRefuses(() => requestPasswordReset(henry.user.email, TEST_CONTEXT));
    const [row] = (await rowsTo(henry.user.email)).filter((mail) => mail.kind === "reset_password");
    // Its last attempt, a day of retries later.
    await bed.database.prisma.outboxMail.update({ where: { id: row.id }, data: { attempts: 39, nextAttemptAt: new Date(0) } });
    const before = await mailQueueCounts();
    await whileSmtpRefuses(() => deliverDueMail());
    expect(await bed.database.prisma.outboxMail.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "FAILED", attempts: 40 });
    expect((await mailQueueCounts()).failedLast24h).toBe(before.failedLast24h + 1);

    const listed = (await listQueuedMail()).find((mail) => mail.id === row.id);
    expect(listed).toMatchObject({ state: "failed", kind: "reset_password", recipient: henry.user.email, attempts: 40 });
    expect(listed?.lastError).toMatch(/451/);
    expect(JSON.stringify(await listQueuedMail())).not.toMatch(/token=|reset-password|"v1\./);

    await retryFailedMail(admin.user.id, row.id, TEST_CONTEXT);
    await drainMail();
    expect(mailsTo(henry.user.email, /Reset your password/)).toHaveLength(1);
    const audit = await bed.database.prisma.auditEvent.findFirstOrThrow({ where: { type: "mail.retry", actorId: admin.user.id } });
    expect(audit.detail).toEqual({ mail: { kind: "reset_password", to: henry.user.email } });
    await expect(retryFailedMail(admin.user.id, row.id, TEST_CONTEXT)).rejects.toMatchObject({ status: 404 });
  });

  it("a backlog older than the threshold shows in the counts and in one warning line", async () => {
    const iris = await createUserWithToken("backlog");
    await whileSmtpRefuses(() => requestPasswordReset(iris.user.email, TEST_CONTEXT));
    const [row] = (await rowsTo(iris.user.email)).filter((mail) => mail.kind === "reset_password");
    const warn = vi.spyOn(logger(), "warn").mockImplementation(() => {});
    expect((await warnAboutMailBacklog()).waiting).toBe(0);
    expect(warn).not.toHaveBeenCalled();
    await bed.database.prisma.outboxMail.update({
      where: { id: row.id },
      data: { createdAt: new Date(Date.now() - (MAIL_BACKLOG_THRESHOLD_MINUTES + 5) * 60_000) },
    });
    const backlog = await warnAboutMailBacklog();
    expect(backlog).toEqual({ waiting: 1, oldestMinutes: MAIL_BACKLOG_THRESHOLD_MINUTES + 5 });
    expect((await mailQueueCounts()).backlog.waiting).toBe(1);
    expect(warn).toHaveBeenCalledOnce();
    expect(JSON.stringify(warn.mock.calls)).not.toContain("token");
    await bed.database.prisma.outboxMail.delete({ where: { id: row.id } });
  });
});
