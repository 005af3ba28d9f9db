import { db, type Transaction } from "@/lib/db/client";
import type { EmailTokenPurpose } from "@/lib/generated/prisma/enums";
import { publicOrigin } from "@/lib/env";
import { queueMail } from "@/lib/mail/send";
import { mailTemplates, type RemovedCredentials } from "@/lib/mail/templates";
import type { RequestContext } from "@/lib/security/request-context";
import { recordAudit } from "./audit";


export type { RemovedCredentials };

/** What proved the address: a mailed link, or an identity provider that vouches for it (OIDC `email_verified`). */
export type AddressProof =
  | { via: "verification_link" | "reset_link"; keepSessionId?: string }
  | { via: "provider"; provider: string; keepSessionId?: string };

const PROVING_TOKEN_PURPOSE: Record<AddressProof["via"], EmailTokenPurpose | null> = {
  verification_link: "VERIFY_EMAIL",
  reset_link: "RESET_PASSWORD",
  provider: null,
};

/**
 * Account pre-hijacking defence (Sudhodanan & Paverd, USENIX Security 2022): anyone can sign up with an address
 * they don't own and leave a key, passkey or provider link behind for when the real owner takes the account over.
 * So the first time the address is proven (`emailVerified` goes from null to set), every credential that existed
 * before the proof goes, in the caller's transaction, with an audit event. Null when the address was already proven
 * (or has changed since the proof was sent): then nothing is touched.
 */
export async function proveAddressInTransaction(
  tx: Transaction,
  userId: string,
  email: string,
  proof: AddressProof,
  context: RequestContext | undefined,
): Promise<RemovedCredentials | null> {
  const before = await tx.user.findUnique({ where: { id: userId }, select: { totpEnabledAt: true } });
  // The condition on emailVerified makes the first proof happen once, however many arrive together.
  const { count } = await tx.user.updateMany({
    where: { id: userId, email, emailVerified: null },
    data: { emailVerified: new Date(), totpSecret: null, totpEnabledAt: null, totpLastStep: null },
  });
  if (count !== 1 || !before) return null;
  const keepProvider = proof.via === "provider" ? proof.provider : undefined;
  const provingPurpose = PROVING_TOKEN_PURPOSE[proof.via];
  const where = { userId };
  // One after another: a transaction holds one connection.
  const sessions = await tx.session.deleteMany({ where: { userId, ...(proof.keepSessionId && { id: { not: proof.keepSessionId } }) } });
  const apiKeys = await tx.apiKey.deleteMany({ where });
  const passkeys = await tx.authenticator.deleteMany({ where });
  const linkedProviders = await tx.account.deleteMany({ where: { userId, ...(keepProvider && { provider: { not: keepProvider } }) } });
  const recoveryCodes = await tx.recoveryCode.deleteMany({ where });
  const mfaChallenges = await tx.mfaChallenge.deleteMany({ where });
  const emailLinks = await tx.emailToken.deleteMany({ where: { userId, usedAt: null, ...(provingPurpose && { purpose: { not: provingPurpose } }) } });
  await tx.webAuthnChallenge.deleteMany({ where });
  await tx.linkIntent.deleteMany({ where });
  const removed: RemovedCredentials = {
    sessions: sessions.count,
    apiKeys: apiKeys.count,
    passkeys: passkeys.count,
    linkedProviders: linkedProviders.count,
    twoFactor: before.totpEnabledAt ? 1 : 0,
    recoveryCodes: recoveryCodes.count,
    mfaChallenges: mfaChallenges.count,
    emailLinks: emailLinks.count,
  };
  await recordAudit(
    {
      type: "email.first_proof",
      actorId: userId,
      targetId: userId,
      context,
      detail: { proof: proof.via, ...(keepProvider && { provider: keepProvider }), removed },
    },
    tx,
  );
  return removed;
}

/** After the transaction: the owner learns what went, so that anything of theirs can be set up again. */
export function mailRemovedCredentials(email: string, removed: RemovedCredentials | null): void {
  if (!removed || !Object.values(removed).some((count) => count > 0)) return;
  queueMail(mailTemplates.credentialsRemoved(email, removed, `${publicOrigin()}/account`));
}

/** A first proof on its own (an identity provider's word at sign-in), in its own transaction. */
export async function proveAddress(userId: string, email: string, proof: AddressProof, context: RequestContext | undefined): Promise<RemovedCredentials | null> {
  const removed = await db().$transaction((tx) => proveAddressInTransaction(tx, userId, email, proof, context));
  mailRemovedCredentials(email, removed);
  return removed;
}
