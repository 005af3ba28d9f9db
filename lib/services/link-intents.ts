import { createHash, randomBytes } from "node:crypto";
import { federatedProviders } from "./federated-providers";
import { db } from "@/lib/db/client";
import { ApiError } from "@/lib/errors";
import { isRecordNotFound } from "./errors";
import { validateSession } from "./sessions";

/** Long enough to sign in at the identity provider, short enough that a forgotten intent is soon worthless. */
export const LINK_INTENT_TTL_SECONDS = 10 * 60;

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

const hashLinkToken = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * The one way a provider callback may link an account: started from /account by a signed-in user, for one provider,
 * bound to the session that asked. The token goes into a cookie; only its hash is stored.
 */
export async function createLinkIntent(userId: string, sessionId: string, provider: string): Promise<string> {
  if (!federatedProviders().some((configured) => configured.id === provider)) throw ApiError.notFound("provider");
  const token = randomBytes(32).toString("base64url");
  await db().linkIntent.create({
    data: { tokenHash: hashLinkToken(token), userId, sessionId, provider, expiresAt: new Date(Date.now() + LINK_INTENT_TTL_SECONDS * 1000) },
  });
  return token;
}

export type LinkGrant = { userId: string; sessionId: string; provider: string };

/**
 * Uses up the intent (whatever the outcome: single use) and says whether it allows this callback to link: the same
 * provider, the same user and session as the session cookie that came with it, unexpired, and that session still
 * passing the check every request passes (not logged out, revoked, idle, expired, or its user locked).
 */
export async function consumeLinkIntent(
  token: string | undefined,
  presented: { provider: string; userId: string | undefined; sessionId: string | undefined },
): Promise<LinkGrant | null> {
  if (!token || !TOKEN_SHAPE.test(token)) return null;
  let intent;
  try {
    // One DELETE decides which request gets it: a concurrent second use finds nothing to delete.
    intent = await db().linkIntent.delete({
      where: { tokenHash: hashLinkToken(token) },
      select: { userId: true, sessionId: true, provider: true, expiresAt: true },
    });
  } catch (error) {
    if (isRecordNotFound(error)) return null;
    throw error;
  }
  if (!intent || intent.expiresAt.getTime() <= Date.now()) return null;
  if (intent.provider !== presented.provider || intent.userId !== presented.userId || intent.sessionId !== presented.sessionId) return null;
  if (!(await validateSession(intent.sessionId, intent.userId))) return null;
  return { userId: intent.userId, sessionId: intent.sessionId, provider: intent.provider };
}

export async function deleteExpiredLinkIntents(): Promise<number> {
  const { count } = await db().linkIntent.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  return count;
}
