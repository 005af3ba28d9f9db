import { db, type Transaction } from "@/lib/db/client";
import type { EmailTokenPurpose } from "@/lib/generated/prisma/enums";
import { publicOrigin } from "@/lib/env";
import { mailTemplates, type RemovedCredentials } from "@/lib/mail/templates";
import type { RequestContext } from "@/lib/security/request-context";
import { recordAudit } from "./audit";
import { mailRecipient, queueMail, wakeMailWorker } from "./mail-queue";


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
 * before the proof goes, in the caller's transaction, with an audit event.
 *
 * A proof that doesn't replace the password (a verification link, a provider) leaves the squatter's password
 * working, unless the one proving is signed in to this very account (then it is theirs): the squatter could sign in
 * again and plant new credentials. So the account remembers that its password predates the proof, and the first
 * reset link after that takes the account back the same way, removing everything again.
 *
 * Null when there was nothing to take back (the address already proven by a proof that settled the password, or
 * changed since the link was sent): then nothing is touched.
 */
export async function proveAddressInTransaction(
  tx: Transaction,
  userId: string,
  email: string,
  proof: AddressProof,
  context: RequestContext | undefined,
): Promise<RemovedCredentials | null> {
  const before = await tx.user.findUnique({
    where: { id: userId },
    select: { email: true, emailVerified: true, passwordHash: true, passwordPredatesProof: true, totpEnabledAt: true },
  });
  if (!before || before.email !== email) return null;
  const firstProof = before.emailVerified === null;
  const takesPasswordBack = proof.via === "reset_link" && before.passwordPredatesProof;
  if (!firstProof && !takesPasswordBack) return null;
  const provedBySignedInOwner =
    proof.keepSessionId !== undefined && (await tx.session.count({ where: { id: proof.keepSessionId, userId, kind: "BROWSER" } })) === 1;
  const passwordPredatesProof = proof.via !== "reset_link" && before.passwordHash !== null && !provedBySignedInOwner;
  // The condition makes one proof win however many arrive together.
  const { count } = await tx.user.updateMany({
    where: { id: userId, email, ...(firstProof ? { emailVerified: null } : { passwordPredatesProof: true }) },
    data: { emailVerified: before.emailVerified ?? new Date(), passwordPredatesProof, totpSecret: null, totpEnabledAt: null, totpLastStep: null },
  });
  if (count !== 1) return null;
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
      detail: { proof: proof.via, ...(keepProvider && { provider: keepProvider }), ...(!firstProof && { passwordTakenBack: true }), removed },
    },
    tx,
  );
  return removed;
}

/** In the proof's transaction: the owner learns what went, so that anything of theirs can be set up again. */
export async function queueRemovedCredentialsMail(tx: Transaction, userId: string, email: string, removed: RemovedCredentials | null): Promise<void> {
  if (!removed || !Object.values(removed).some((count) => count > 0)) return;
  await queueMail(tx, mailTemplates.credentialsRemoved(await mailRecipient(userId, email, tx), removed, `${publicOrigin()}/account`));
}

/** A first proof on its own (an identity provider's word at sign-in), in its own transaction. */
export async function proveAddress(userId: string, email: string, proof: AddressProof, context: RequestContext | undefined): Promise<RemovedCredentials | null> {
  const removed = await db().$transaction(async (tx) => {
    const firstProof = await proveAddressInTransaction(tx, userId, email, proof, context);
    await queueRemovedCredentialsMail(tx, userId, email, firstProof);
    return firstProof;
  });
  wakeMailWorker();
  return removed;
}
