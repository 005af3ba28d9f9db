import { federatedProviders } from "@/lib/auth/federation";
import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/http/api-error";
import type { RequestContext } from "@/lib/security/request-context";
import { recordAudit } from "./audit";

export type LinkedAccount = { provider: string; name: string };

export const LAST_SIGN_IN_METHOD_MESSAGE = "Keep another way to sign in first: set a password, add a passkey or link another provider.";

export async function listLinkedAccounts(userId: string): Promise<LinkedAccount[]> {
  const names = new Map(federatedProviders().map((provider) => [provider.id, provider.name]));
  const accounts = await db().account.findMany({ where: { userId }, select: { provider: true }, orderBy: { createdAt: "asc" } });
  return accounts.map(({ provider }) => ({ provider, name: names.get(provider) ?? provider }));
}

/** Unlinking is allowed only while another way to sign in remains: a password, a passkey or another provider. */
export async function unlinkAccount(userId: string, provider: string, context: RequestContext): Promise<void> {
  const user = await db().user.findUniqueOrThrow({
    where: { id: userId },
    select: { passwordHash: true, _count: { select: { accounts: true, authenticators: true } } },
  });
  if (!(await db().account.findFirst({ where: { userId, provider }, select: { provider: true } }))) throw ApiError.notFound("Linked account");
  const otherWays = (user.passwordHash ? 1 : 0) + user._count.authenticators + (user._count.accounts - 1);
  if (otherWays < 1) throw new ApiError(409, "last_sign_in_method", LAST_SIGN_IN_METHOD_MESSAGE);
  await db().account.deleteMany({ where: { userId, provider } });
  await recordAudit({ type: "account.unlink", actorId: userId, targetId: userId, context, detail: { provider } });
}
