import type { MailMessage } from "./templates";

/** Development only: the last messages, for /dev/outbox when no SMTP server is configured. */
export const OUTBOX_SIZE = 50;

export type OutboxEntry = MailMessage & { id: number; sentAt: string };

const holder = globalThis as typeof globalThis & { latchkeyOutbox?: OutboxEntry[]; latchkeyOutboxId?: number };

export function keepInOutbox(message: MailMessage): void {
  holder.latchkeyOutbox ??= [];
  holder.latchkeyOutboxId = (holder.latchkeyOutboxId ?? 0) + 1;
  holder.latchkeyOutbox.unshift({ ...message, id: holder.latchkeyOutboxId, sentAt: new Date().toISOString() });
  holder.latchkeyOutbox.length = Math.min(holder.latchkeyOutbox.length, OUTBOX_SIZE);
}

export function outbox(): OutboxEntry[] {
  return holder.latchkeyOutbox ?? [];
}
