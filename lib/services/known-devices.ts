import { supportedLocale } from "@/i18n/locales";
import { createHash, randomBytes } from "node:crypto";
import { db } from "@/lib/db/client";
import { env, publicOrigin } from "@/lib/env";
import { mailTemplates } from "@/lib/mail/templates";
import type { RequestContext } from "@/lib/security/request-context";
import { describeDevice } from "./device-name";
import { isUniqueViolation } from "./errors";
import { queueMail, wakeMailWorker } from "./mail-queue";

/** The browsers remembered per account; past this the one unseen longest is forgotten (it would mail again). */
export const MAX_KNOWN_DEVICES = 50;
const DEVICE_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export const newDeviceToken = () => randomBytes(32).toString("base64url");
const hashDeviceToken = (token: string) => createHash("sha256").update(token).digest("base64url");

/** Where a mailed "new sign-in" points: the session list, to sign that browser out. */
export const SESSIONS_URL_PATH = "/account#sessions";

/**
 * A browser just signed in to `userId`; `presented` is its device cookie, if it has one (one cookie per browser,
 * whichever accounts sign in from it). A browser the account has not signed in from before is remembered and, unless
 * it is the account's first (its sign-up, or its first sign-in since this list began) or AUTH_NOTIFY_NEW_DEVICE=0,
 * the owner is mailed in the same transaction. Returns the token the device cookie must hold from now on.
 */
export async function recognizeSignInDevice(userId: string, presented: string | undefined, context: RequestContext): Promise<{ token: string; notified: boolean }> {
  const token = presented && DEVICE_TOKEN.test(presented) ? presented : newDeviceToken();
  const tokenHash = hashDeviceToken(token);
  try {
    const notified = await db().$transaction(async (tx) => {
      const seen = await tx.knownDevice.updateMany({ where: { userId, tokenHash }, data: { lastSeenAt: new Date() } });
      if (seen.count) return false;
      const known = await tx.knownDevice.findMany({ where: { userId }, select: { tokenHash: true }, orderBy: { lastSeenAt: "asc" } });
      await tx.knownDevice.create({ data: { userId, tokenHash } });
      const overflow = known.length + 1 - MAX_KNOWN_DEVICES;
      if (overflow > 0) await tx.knownDevice.deleteMany({ where: { userId, tokenHash: { in: known.slice(0, overflow).map((row) => row.tokenHash) } } });
      if (!known.length || !env().AUTH_NOTIFY_NEW_DEVICE) return false;
      const owner = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, locale: true } });
      const message = mailTemplates.newSignIn(owner, describeDevice(context.userAgent, supportedLocale(owner.locale)), context.ip ?? null, new Date(), `${publicOrigin()}${SESSIONS_URL_PATH}`);
      await queueMail(tx, message);
      return true;
    });
    if (notified) wakeMailWorker();
    return { token, notified };
  } catch (error) {
    // The same browser signing in twice at once: the other sign-in remembered it.
    if (isUniqueViolation(error)) return { token, notified: false };
    throw error;
  }
}
