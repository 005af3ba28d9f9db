import { randomUUID } from "node:crypto";
import { createEmailToken, hashEmailToken, looksLikeEmailToken } from "@/lib/crypto/email-token";
import { db, writeTogether, type Transaction } from "@/lib/db/client";
import type { EmailTokenPurpose } from "@/lib/generated/prisma/enums";
import { ApiError } from "@/lib/errors";
import type { MailMessage } from "@/lib/mail/templates";
import { expireQueuedMail, queueMail, wakeMailWorker } from "./mail-queue";

export function invalidToken(): ApiError {
  return ApiError.of("invalid_token");
}

/**
 * A new link for this purpose; every older unused one of the same purpose stops working, and a mail of one that was
 * not sent yet goes with it. `mail` is queued in the same transaction as the link: the caller's `tx` when given (the
 * caller wakes the mail worker after its commit), else a transaction of its own.
 */
export async function issueEmailToken(
  userId: string,
  purpose: EmailTokenPurpose,
  email: string,
  ttlSeconds: number,
  mail?: (token: string) => MailMessage,
  tx?: Transaction,
): Promise<string> {
  const { token, tokenHash } = createEmailToken();
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  // The id is chosen here so that the mail can name its link in the same batch: a batch costs fewer round trips
  // than an interactive transaction, on a path (forgot password) that must take as long for an unknown address.
  const id = randomUUID();
  const writes = (client: Transaction) => [
    client.emailToken.deleteMany({ where: { userId, purpose, usedAt: null } }),
    client.emailToken.create({ data: { id, userId, purpose, email, tokenHash, expiresAt }, select: { id: true } }),
    ...(mail ? [queueMail(client, mail(token), { emailTokenId: id, expiresAt })] : []),
  ];
  await writeTogether(tx, writes);
  if (mail && !tx) wakeMailWorker();
  return token;
}

export type UsableToken = { id: string; userId: string; purpose: EmailTokenPurpose; email: string };

/** The unused, unexpired token for one of these purposes, without using it up. */
export async function findUsableToken(token: unknown, purposes: EmailTokenPurpose[]): Promise<UsableToken | null> {
  if (!looksLikeEmailToken(token)) return null;
  const row = await db().emailToken.findUnique({
    where: { tokenHash: hashEmailToken(token) },
    select: { id: true, userId: true, purpose: true, email: true, usedAt: true, expiresAt: true },
  });
  if (!row || row.usedAt || row.expiresAt.getTime() <= Date.now() || !purposes.includes(row.purpose)) return null;
  return { id: row.id, userId: row.userId, purpose: row.purpose, email: row.email };
}

/** Marks the token used inside the caller's transaction; false when another request got there first. */
export async function consumeToken(tx: Transaction, id: string): Promise<boolean> {
  const { count } = await tx.emailToken.updateMany({
    where: { id, usedAt: null, expiresAt: { gt: new Date() } },
    data: { usedAt: new Date() },
  });
  return count === 1;
}

export async function deleteExpiredEmailTokens(): Promise<number> {
  const cutoff = new Date();
  // First, so the mails of these links stay on record as expired instead of going with them.
  await expireQueuedMail(cutoff);
  const { count } = await db().emailToken.deleteMany({ where: { expiresAt: { lt: cutoff } } });
  return count;
}
