import nodemailer, { type Transporter } from "nodemailer";
import { env } from "@/lib/env";
import { keepInOutbox } from "./outbox";
import type { MailMessage } from "./templates";
import { logger } from "@/lib/log";

/** A failed send is tried again after these pauses, then given up (and logged); the request never waits. */
export const MAIL_RETRY_DELAYS_MS = [1_000, 5_000];

const holder = globalThis as typeof globalThis & { latchkeyMailer?: { url: string; transport: Transporter } };
const pending = new Set<Promise<void>>();

function transport(url: string): Transporter {
  if (holder.latchkeyMailer?.url !== url) holder.latchkeyMailer = { url, transport: nodemailer.createTransport(url) };
  return holder.latchkeyMailer.transport;
}

async function deliver(message: MailMessage): Promise<void> {
  const { SMTP_URL, MAIL_FROM, NODE_ENV } = env();
  const { kind, to, subject, text, html } = message;
  if (!SMTP_URL) {
    if (NODE_ENV === "production") {
      // A production log is kept, shipped and read by others: a reset or sign-in link in it would be a way in.
      logger().warn({ mail: { kind, to } }, "Mail NOT sent: SMTP_URL is not set");
      return;
    }
    logger().info({ mail: { kind, to, subject } }, `Mail (SMTP_URL is not set):\n${text}`);
    if (NODE_ENV === "development") keepInOutbox(message);
    return;
  }
  for (let attempt = 0; ; attempt += 1) {
    try {
      await transport(SMTP_URL).sendMail({ from: MAIL_FROM, to, subject, text, html });
      return;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (attempt >= MAIL_RETRY_DELAYS_MS.length) {
        logger().error({ mail: { kind, subject }, attempts: attempt + 1, reason }, "Giving up on a mail");
        return;
      }
      logger().warn({ mail: { kind, subject }, reason }, "Sending a mail failed; retrying");
      await new Promise((resolve) => setTimeout(resolve, MAIL_RETRY_DELAYS_MS[attempt]));
    }
  }
}

/** Sends in the background: the response to the request that caused the mail doesn't wait or change. */
export function queueMail(message: MailMessage): void {
  const sending = deliver(message).finally(() => pending.delete(sending));
  pending.add(sending);
}

/**
 * Prepares a message and sends it, all after the response: for mail whose preparation (a token to put in it, an
 * audit row) must not lengthen the answer, as a reset for a known address must answer like one for an unknown
 * address. The work starts on the next turn of the event loop, once the response is on its way; a failure is
 * logged, since nobody is waiting for it.
 */
export function queueMailAfterResponse(kind: MailMessage["kind"], prepare: () => Promise<MailMessage>): void {
  const sending = new Promise<void>((resolve) => setImmediate(resolve))
    .then(prepare)
    .then(deliver)
    .catch((error: unknown) => {
      logger().error({ mail: { kind }, reason: error instanceof Error ? error.message : String(error) }, "Preparing a mail failed");
    })
    .finally(() => pending.delete(sending));
  pending.add(sending);
}

/** Waits for every queued message (graceful shutdown, tests). */
export async function drainMail(): Promise<void> {
  while (pending.size) await Promise.all([...pending]);
}
