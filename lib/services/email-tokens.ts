import { createEmailToken, hashEmailToken, looksLikeEmailToken } from "@/lib/auth/email-token";
import { db, type Transaction } from "@/lib/db/client";
import type { EmailTokenPurpose } from "@/lib/generated/prisma/enums";
import { ApiError } from "@/lib/errors";


export function invalidToken(): ApiError {
  return ApiError.of("invalid_token");
}

/** A new link for this purpose; every older unused one of the same purpose stops working. */
export async function issueEmailToken(userId: string, purpose: EmailTokenPurpose, email: string, ttlSeconds: number): Promise<string> {
  const { token, tokenHash } = createEmailToken();
  await db().$transaction([
    db().emailToken.deleteMany({ where: { userId, purpose, usedAt: null } }),
    db().emailToken.create({ data: { userId, purpose, email, tokenHash, expiresAt: new Date(Date.now() + ttlSeconds * 1000) } }),
  ]);
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
  const { count } = await db().emailToken.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  return count;
}
