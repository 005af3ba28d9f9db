import { randomBytes } from "node:crypto";
import { openSecret, sealSecret } from "@/lib/crypto/secret-box";
import { UTC_NOW, db, type Transaction } from "@/lib/db/client";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/errors";
import { describeError, logger } from "@/lib/log";
import { deliverMail } from "@/lib/mail/send";
import type { MailKind, MailMessage, Recipient } from "@/lib/mail/templates";
import type { RequestContext } from "@/lib/security/request-context";
import { recordAudit } from "./audit";

/**
 * The outbox: every mail is a row written in the transaction of the change that causes it, and any instance's
 * worker delivers it. A worker claims due rows (FOR UPDATE SKIP LOCKED, so two never take the same one) by moving
 * them a lease ahead; a worker that dies mid-send leaves the mail due again when the lease ends (at least once).
 */

/** Each instance looks for due mail this often, besides the wake-up right after a request queues one. */
export const MAIL_POLL_INTERVAL_MS = 1_000;
/** How long a claim holds a mail: well over one SMTP conversation's bounds (lib/mail/send.ts). */
export const MAIL_LEASE_SECONDS = 120;
/** The first retry waits about this long; each next one twice as long, up to MAIL_RETRY_MAX_DELAY_MS. */
export const MAIL_RETRY_BASE_MS = 2_000;
export const MAIL_RETRY_MAX_DELAY_MS = 60 * 60 * 1000;
/** Past this much waiting between attempts, a mail is given up and marked failed (an admin can retry it). */
export const MAIL_GIVE_UP_AFTER_MS = 24 * 60 * 60 * 1000;
/** Mail waiting longer than this is a backlog: the admin overview shows it and a warning is logged. */
export const MAIL_BACKLOG_THRESHOLD_MINUTES = 15;
const BACKLOG_CHECK_INTERVAL_MS = 60_000;
/** Sent and expired rows are kept a week (the admin page counts them), failed ones a month. */
const FINISHED_RETENTION_DAYS = 7;
const FAILED_RETENTION_DAYS = 30;
const CLAIM_BATCH = 10;
const ERROR_LENGTH = 300;

/** The sealed body names its recipient, so a row whose recipient was changed in the database doesn't open. */
const sealPurpose = (recipient: string) => `outbox mail\0${recipient}`;

type SealedBody = Pick<MailMessage, "subject" | "text" | "html">;

/** The mailed link a message carries: the mail goes with the link if it is deleted, and isn't sent once it expires. */
export type MailLink = { emailTokenId: string; expiresAt: Date };

type Writer = Pick<Transaction | PrismaClient, "outboxMail">;

/**
 * Queues a message with the caller's transaction (or on its own with `db()`). A lazy Prisma query: await it, or put
 * it in an array transaction. After the commit, `wakeMailWorker()` sends it at once.
 */
/**
 * A mail to a user, in the language their account reads: `email` when it goes to another of their addresses (a new
 * one being confirmed, the old one after a change). One read by primary key.
 */
export async function mailRecipient(userId: string, email?: string, client: Transaction = db()): Promise<Recipient> {
  const user = await client.user.findUnique({ where: { id: userId }, select: { email: true, locale: true } });
  return { email: email ?? user?.email ?? "", locale: user?.locale };
}

/** A mail to whoever owns an address, if anyone, in their language. */
export async function mailRecipientByAddress(email: string): Promise<Recipient> {
  const owner = await db().user.findUnique({ where: { email }, select: { locale: true } });
  return { email, locale: owner?.locale };
}

export function queueMail(client: Writer, message: MailMessage, link?: MailLink) {
  const { kind, to, subject, text, html } = message;
  const body: SealedBody = { subject, text, html };
  const now = new Date();
  return client.outboxMail.create({
    data: {
      kind,
      recipient: to,
      sealedBody: sealSecret(JSON.stringify(body), sealPurpose(to)),
      nextAttemptAt: now,
      createdAt: now,
      emailTokenId: link?.emailTokenId,
      expiresAt: link?.expiresAt,
    },
    select: { id: true },
  });
}

/** A mail that no other change goes with (a notice about an attempt): queued on its own, and sent at once. */
export async function sendMailSoon(message: MailMessage): Promise<void> {
  await queueMail(db(), message);
  wakeMailWorker();
}

/** The pause before attempt `attempts + 1`, at 75–125 % of the nominal so that instances don't retry in step. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  return Math.round(nominalDelayMs(attempts) * (0.75 + random() / 2));
}

function nominalDelayMs(attempts: number): number {
  return Math.min(MAIL_RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1), MAIL_RETRY_MAX_DELAY_MS);
}

/** Whether the pauses after `attempts` failures add up past MAIL_GIVE_UP_AFTER_MS (counted, not clocked, so a
 * retried mail gets its whole day again). */
export function shouldGiveUp(attempts: number): boolean {
  let waited = 0;
  for (let attempt = 1; attempt <= attempts; attempt += 1) waited += nominalDelayMs(attempt);
  return waited >= MAIL_GIVE_UP_AFTER_MS;
}

type ClaimedRow = { id: string; kind: string; recipient: string; sealedBody: string; attempts: number; expired: boolean };

async function claimDueMail(leaseId: string): Promise<ClaimedRow[]> {
  return db().$queryRaw<ClaimedRow[]>`
    UPDATE "OutboxMail" SET
      "nextAttemptAt" = ${UTC_NOW} + make_interval(secs => ${MAIL_LEASE_SECONDS}::int),
      "leaseId" = ${leaseId},
      "attempts" = "attempts" + 1
    WHERE "id" IN (
      SELECT "id" FROM "OutboxMail"
      WHERE "status" = 'PENDING' AND "nextAttemptAt" <= ${UTC_NOW}
      ORDER BY "nextAttemptAt"
      LIMIT ${CLAIM_BATCH}
      FOR UPDATE SKIP LOCKED)
    RETURNING "id", "kind", "recipient", "sealedBody", "attempts",
      ("expiresAt" IS NOT NULL AND "expiresAt" <= ${UTC_NOW}) AS "expired"`;
}

/** Records how a claim ended, only while the claim still holds the row (a retry by an admin, or a lease taken over,
 * wins over a late outcome). */
async function finish(row: ClaimedRow, leaseId: string, data: Prisma.OutboxMailUpdateManyMutationInput): Promise<void> {
  await db().outboxMail.updateMany({ where: { id: row.id, leaseId, status: "PENDING" }, data: { leaseId: null, ...data } });
}

/** Once sent or expired, the body and its link are no longer kept, nor is the tie to the link. */
const closed = () => ({ sealedBody: "", emailTokenId: null, finishedAt: new Date(), lastError: null });

async function deliverRow(row: ClaimedRow, leaseId: string): Promise<void> {
  const mail = { kind: row.kind as MailKind, to: row.recipient };
  if (row.expired) {
    await finish(row, leaseId, { status: "EXPIRED", ...closed() });
    logger().info({ mail, attempts: row.attempts - 1 }, "A queued mail's link expired before it could be sent; not sending it");
    return;
  }
  let body: SealedBody;
  try {
    body = JSON.parse(openSecret(row.sealedBody, sealPurpose(row.recipient))) as SealedBody;
  } catch (error) {
    // No retry mends this: the key that sealed it is gone from AUTH_ENCRYPTION_KEY, or the row was altered.
    const reason = `The stored mail does not open: ${error instanceof Error ? error.message : String(error)}`;
    await finish(row, leaseId, { status: "FAILED", lastError: reason, finishedAt: new Date() });
    logger().error({ mail, reason }, "A queued mail could not be opened");
    return;
  }
  let outcome: Awaited<ReturnType<typeof deliverMail>>;
  try {
    outcome = await deliverMail({ ...mail, ...body });
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).slice(0, ERROR_LENGTH);
    if (shouldGiveUp(row.attempts)) {
      await finish(row, leaseId, { status: "FAILED", lastError: reason, finishedAt: new Date() });
      logger().error({ mail, attempts: row.attempts, reason }, "Giving up on a mail");
      return;
    }
    const delay = retryDelayMs(row.attempts);
    await finish(row, leaseId, { lastError: reason, nextAttemptAt: new Date(Date.now() + delay) });
    logger().warn({ mail, attempts: row.attempts, retryInMs: delay, reason }, "Sending a mail failed; it stays queued");
    return;
  }
  if (outcome === "not_sent") {
    await finish(row, leaseId, { status: "FAILED", lastError: "SMTP_URL is not set", finishedAt: new Date() });
    return;
  }
  await finish(row, leaseId, { status: "SENT", ...closed() });
}

/** One worker pass: claims and sends due mail until none is due; the number of mails it took. */
export async function deliverDueMail(): Promise<number> {
  let taken = 0;
  for (;;) {
    const leaseId = randomBytes(12).toString("base64url");
    const rows = await claimDueMail(leaseId);
    taken += rows.length;
    await Promise.all(rows.map((row) => deliverRow(row, leaseId)));
    if (rows.length < CLAIM_BATCH) return taken;
  }
}

type WorkerState = { running?: Promise<void>; again: boolean; poller?: NodeJS.Timeout; backlogCheck?: NodeJS.Timeout };

const holder = globalThis as typeof globalThis & { latchkeyMailWorker?: WorkerState };

function worker(): WorkerState {
  holder.latchkeyMailWorker ??= { again: false };
  return holder.latchkeyMailWorker;
}

/**
 * Runs a pass in the background (never on a request's time); a wake-up during a pass runs another one after it, so a
 * mail committed while a pass was claiming isn't left for the next poll.
 */
export function wakeMailWorker(): void {
  const state = worker();
  if (state.running) {
    state.again = true;
    return;
  }
  state.running = (async () => {
    do {
      state.again = false;
      await deliverDueMail();
    } while (state.again);
  })()
    .catch((error: unknown) => logger().error({ error: describeError(error) }, "Delivering queued mail failed"))
    .finally(() => {
      state.running = undefined;
    });
}

/** Every instance runs one (lib/server-start.ts): it polls for due mail and checks the backlog. */
export function startMailWorker(): void {
  const state = worker();
  if (state.poller) return;
  state.poller = setInterval(wakeMailWorker, MAIL_POLL_INTERVAL_MS);
  state.poller.unref();
  state.backlogCheck = setInterval(() => {
    warnAboutMailBacklog().catch((error: unknown) => logger().error({ error: describeError(error) }, "Checking the mail backlog failed"));
  }, BACKLOG_CHECK_INTERVAL_MS);
  state.backlogCheck.unref();
  wakeMailWorker();
}

/**
 * Stops polling and lets a pass in flight finish for at most `graceMs`: whatever it doesn't finish stays queued and
 * is sent by another instance, or this one after a restart, once its lease ends.
 */
export async function stopMailWorker(graceMs = 1_000): Promise<void> {
  const state = worker();
  clearInterval(state.poller);
  clearInterval(state.backlogCheck);
  state.poller = state.backlogCheck = undefined;
  if (state.running) await Promise.race([state.running, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
}

/** Sends everything due now, waiting for a pass in flight first (tests). */
export async function drainMail(): Promise<void> {
  await worker().running;
  while ((await deliverDueMail()) > 0);
}

export type MailBacklog = { waiting: number; oldestMinutes: number | null };

/** Mail queued longer than the threshold and still not sent. */
export async function mailBacklog(): Promise<MailBacklog> {
  const [row] = await db().$queryRaw<MailBacklog[]>`
    SELECT count(*)::int AS waiting,
      floor(extract(epoch FROM ${UTC_NOW} - min("createdAt")) / 60)::int AS "oldestMinutes"
    FROM "OutboxMail"
    WHERE "status" = 'PENDING' AND "createdAt" < ${UTC_NOW} - make_interval(mins => ${MAIL_BACKLOG_THRESHOLD_MINUTES}::int)`;
  return { waiting: row?.waiting ?? 0, oldestMinutes: row?.oldestMinutes ?? null };
}

export async function warnAboutMailBacklog(): Promise<MailBacklog> {
  const backlog = await mailBacklog();
  if (backlog.waiting > 0) {
    logger().warn({ backlog, thresholdMinutes: MAIL_BACKLOG_THRESHOLD_MINUTES }, "Mail is waiting longer than it should: is the SMTP server reachable?");
  }
  return backlog;
}

/** Past their retention, finished rows go (the sweeper); a row that is still queued or retrying stays. */
export async function deleteFinishedMail(): Promise<number> {
  return db().$executeRaw`
    DELETE FROM "OutboxMail"
    WHERE ("status" IN ('SENT', 'EXPIRED') AND "finishedAt" < ${UTC_NOW} - make_interval(days => ${FINISHED_RETENTION_DAYS}::int))
       OR ("status" = 'FAILED' AND "finishedAt" < ${UTC_NOW} - make_interval(days => ${FAILED_RETENTION_DAYS}::int))`;
}

/**
 * Unsent mail whose link expired before `cutoff` is marked expired and let go of its link: the sweeper calls this
 * before it deletes the expired links, which would otherwise take these rows with them.
 */
export async function expireQueuedMail(cutoff: Date): Promise<number> {
  const { count } = await db().outboxMail.updateMany({
    where: { status: { in: ["PENDING", "FAILED"] }, expiresAt: { lt: cutoff } },
    data: { status: "EXPIRED", ...closed(), leaseId: null },
  });
  return count;
}

/** What the admin page shows of a queued mail: never its body or link. */
export type QueuedMailDto = {
  id: string;
  kind: string;
  recipient: string;
  state: "queued" | "retrying" | "failed";
  attempts: number;
  lastError: string | null;
  queuedAt: string;
  nextAttemptAt: string | null;
};

export const MAIL_QUEUE_PAGE_SIZE = 50;

/** Mail not sent yet, and mail given up on: the newest first. */
export async function listQueuedMail(): Promise<QueuedMailDto[]> {
  const rows = await db().outboxMail.findMany({
    where: { status: { in: ["PENDING", "FAILED"] } },
    select: { id: true, kind: true, recipient: true, status: true, attempts: true, lastError: true, createdAt: true, nextAttemptAt: true },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: MAIL_QUEUE_PAGE_SIZE,
  });
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    recipient: row.recipient,
    state: row.status === "FAILED" ? "failed" : row.lastError ? "retrying" : "queued",
    attempts: row.attempts,
    lastError: row.lastError,
    queuedAt: row.createdAt.toISOString(),
    nextAttemptAt: row.status === "FAILED" ? null : row.nextAttemptAt.toISOString(),
  }));
}

export type MailQueueCounts = { queued: number; retrying: number; failed: number; failedLast24h: number; backlog: MailBacklog };

/** The admin overview's numbers: each a scan of the status index, which holds only what is unsent or recent. */
export async function mailQueueCounts(): Promise<MailQueueCounts> {
  const [[counts], backlog] = await Promise.all([
    db().$queryRaw<Omit<MailQueueCounts, "backlog">[]>`
      SELECT
        count(*) FILTER (WHERE "status" = 'PENDING' AND "lastError" IS NULL)::int AS queued,
        count(*) FILTER (WHERE "status" = 'PENDING' AND "lastError" IS NOT NULL)::int AS retrying,
        count(*) FILTER (WHERE "status" = 'FAILED')::int AS failed,
        count(*) FILTER (WHERE "status" = 'FAILED' AND "finishedAt" >= ${UTC_NOW} - interval '24 hours')::int AS "failedLast24h"
      FROM "OutboxMail" WHERE "status" IN ('PENDING', 'FAILED')`,
    mailBacklog(),
  ]);
  return { ...counts, backlog };
}

/** An admin sends a failed mail again: queued at once with a fresh day of retries; its link's expiry still holds. */
export async function retryFailedMail(adminId: string, mailId: string, context: RequestContext): Promise<void> {
  const mail = await db().$transaction(async (tx) => {
    const found = await tx.outboxMail.findUnique({ where: { id: mailId }, select: { kind: true, recipient: true, status: true } });
    if (!found || found.status !== "FAILED") throw ApiError.notFound("failedMail");
    await tx.outboxMail.update({ where: { id: mailId }, data: { status: "PENDING", attempts: 0, nextAttemptAt: new Date(), finishedAt: null } });
    await recordAudit({ type: "mail.retry", actorId: adminId, context, detail: { mail: { kind: found.kind, to: found.recipient } } }, tx);
    return found;
  });
  wakeMailWorker();
  logger().info({ mail: { kind: mail.kind, to: mail.recipient } }, "An admin queued a failed mail again");
}
