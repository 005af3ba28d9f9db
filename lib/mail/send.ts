import nodemailer, { type Transporter } from "nodemailer";
import { env } from "@/lib/env";
import { mailFrom } from "@/lib/env/branding";
import { keepInOutbox } from "./outbox";
import type { MailMessage } from "./templates";
import { logger } from "@/lib/log";

/**
 * Bounds on one SMTP conversation. A worker holds a queued mail for a lease (lib/services/mail-queue.ts) while it
 * sends; a send must end well within that lease, or another instance could take the mail and send it again.
 */
export const SMTP_CONNECTION_TIMEOUT_MS = 10_000;
export const SMTP_SOCKET_TIMEOUT_MS = 30_000;

const holder = globalThis as typeof globalThis & { latchkeyMailer?: { url: string; transport: Transporter } };

function transport(url: string): Transporter {
  if (holder.latchkeyMailer?.url !== url) {
    holder.latchkeyMailer = {
      url,
      transport: nodemailer.createTransport({
        url,
        connectionTimeout: SMTP_CONNECTION_TIMEOUT_MS,
        greetingTimeout: SMTP_CONNECTION_TIMEOUT_MS,
        socketTimeout: SMTP_SOCKET_TIMEOUT_MS,
      }),
    };
  }
  return holder.latchkeyMailer.transport;
}

/**
 * Hands one message to the SMTP server; an SMTP failure throws. Without SMTP_URL, outside production the message is
 * "logged" (and in development kept for /dev/outbox); in production it is "not_sent", and only its kind and
 * recipient are logged.
 */
export async function deliverMail(message: MailMessage): Promise<"sent" | "logged" | "not_sent"> {
  const { SMTP_URL, NODE_ENV } = env();
  const { kind, to, subject, text, html } = message;
  if (SMTP_URL) {
    await transport(SMTP_URL).sendMail({ from: mailFrom(), to, subject, text, html });
    return "sent";
  }
  if (NODE_ENV === "production") {
    // A production log is kept, shipped and read by others: a reset or sign-in link in it would be a way in.
    logger().warn({ mail: { kind, to } }, "Mail NOT sent: SMTP_URL is not set");
    return "not_sent";
  }
  logger().info({ mail: { kind, to, subject } }, `Mail (SMTP_URL is not set):\n${text}`);
  if (NODE_ENV === "development") keepInOutbox(message);
  return "logged";
}
