import { federatedProviders } from "./federated-providers";
import { blockSelect, isBlocked } from "@/lib/services/suspension";
import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/errors";
import type { RequestContext } from "@/lib/security/request-context";
import { env } from "@/lib/env";
import { proveAddress } from "./address-proof";
import { recordAudit } from "./audit";
import { normalizeIdentifier } from "./login";

export type LinkedAccount = { provider: string; name: string };

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
  if (!(await db().account.findFirst({ where: { userId, provider }, select: { provider: true } }))) throw ApiError.notFound("linkedAccount");
  const otherWays = (user.passwordHash ? 1 : 0) + user._count.authenticators + (user._count.accounts - 1);
  if (otherWays < 1) throw ApiError.of("last_sign_in_method");
  await db().account.deleteMany({ where: { userId, provider } });
  await recordAudit({ type: "account.unlink", actorId: userId, targetId: userId, context, detail: { provider } });
}

/**
 * Whether an identity provider's callback may go on: never for a locked user, whether the provider account is
 * already linked to them or they are linking it; and, when addresses must be confirmed, only when the provider
 * vouches for the email (OIDC `email_verified`).
 */
export async function federatedSignInAllowed({
  provider,
  providerAccountId,
  providerVerifiedEmail,
  linkingUserId,
}: {
  provider: string;
  providerAccountId: string;
  providerVerifiedEmail: boolean;
  linkingUserId: string | undefined;
}): Promise<boolean> {
  if (env().AUTH_REQUIRE_EMAIL_VERIFICATION && !providerVerifiedEmail) return false;
  const linked = await db().account.findUnique({
    where: { provider_providerAccountId: { provider, providerAccountId } },
    select: { user: { select: blockSelect } },
  });
  if (linked && isBlocked(linked.user)) return false;
  if (!linkingUserId) return true;
  const linker = await db().user.findUnique({ where: { id: linkingUserId }, select: blockSelect });
  return Boolean(linker) && !isBlocked(linker!);
}

/** An identity provider vouching for the user's own address is a first proof of it, like a mailed link. */
export async function proveAddressByProvider(
  userId: string,
  verifiedEmail: string,
  provider: string,
  keepSessionId: string | undefined,
  context: RequestContext | undefined,
): Promise<void> {
  await proveAddress(userId, normalizeIdentifier(verifiedEmail), { via: "provider", provider, keepSessionId }, context);
}
