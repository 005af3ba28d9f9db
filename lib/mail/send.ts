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
  if (!SMTP_URL) {
    logger().info({ mail: { to: message.to, subject: message.subject } }, `Mail (SMTP_URL is not set):\n${message.text}`);
    if (NODE_ENV === "development") keepInOutbox(message);
    return;
  }
  for (let attempt = 0; ; attempt += 1) {
    try {
      await transport(SMTP_URL).sendMail({ from: MAIL_FROM, ...message });
      return;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (attempt >= MAIL_RETRY_DELAYS_MS.length) {
        logger().error({ mail: { subject: message.subject }, attempts: attempt + 1, reason }, "Giving up on a mail");
        return;
      }
      logger().warn({ mail: { subject: message.subject }, reason }, "Sending a mail failed; retrying");
      await new Promise((resolve) => setTimeout(resolve, MAIL_RETRY_DELAYS_MS[attempt]));
    }
  }
}

/** Sends in the background: the response to the request that caused the mail doesn't wait or change. */
export function queueMail(message: MailMessage): void {
  const sending = deliver(message).finally(() => pending.delete(sending));
  pending.add(sending);
}

/** Waits for every queued message (graceful shutdown, tests). */
export async function drainMail(): Promise<void> {
  while (pending.size) await Promise.all([...pending]);
}
