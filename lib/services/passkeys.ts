import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import { db } from "@/lib/db/client";
import { blockSelect, isBlocked } from "@/lib/services/suspension";
import { sessionUserSelect, type SessionUser } from "@/lib/services/user-dto";
import { publicOrigin } from "@/lib/env";
import { brand } from "@/lib/env/branding";
import { ApiError } from "@/lib/errors";
import type { RequestContext } from "@/lib/security/request-context";
import { recordAudit, recordFailureAudit } from "./audit";
import { recordSuccessfulLogin } from "./login";
import { assertCurrentPassword } from "./reauthentication";

/** A browser has this long to answer a WebAuthn prompt. */
export const WEBAUTHN_CHALLENGE_TTL_SECONDS = 5 * 60;
export const MAX_PASSKEYS_PER_USER = 20;

type RegistrationResponse = Parameters<typeof verifyRegistrationResponse>[0]["response"];
type AuthenticationResponse = Parameters<typeof verifyAuthenticationResponse>[0]["response"];
type Purpose = "register" | "login";

export type PasskeyDto = { id: string; name: string; createdAt: string; lastUsedAt: string | null };

/** Relying party id and origin come from AUTH_URL: the host people use, never a request's Host header. */
function relyingParty(): { id: string; origin: string } {
  const origin = publicOrigin();
  return { id: new URL(origin).hostname, origin };
}

async function storeChallenge(challenge: string, purpose: Purpose, userId?: string): Promise<void> {
  await db().webAuthnChallenge.create({
    data: { challenge, purpose, userId: userId ?? null, expiresAt: new Date(Date.now() + WEBAUTHN_CHALLENGE_TTL_SECONDS * 1000) },
  });
}

/** A challenge counts once: the request that deletes it is the one that may use it. */
async function consumeChallenge(challenge: string, purpose: Purpose, userId?: string): Promise<boolean> {
  const { count } = await db().webAuthnChallenge.deleteMany({
    where: { challenge, purpose, userId: userId ?? null, expiresAt: { gt: new Date() } },
  });
  return count === 1;
}

/** The challenge the browser signed, read from its clientDataJSON (verified against the stored one afterwards). */
function signedChallenge(clientDataJSON: string): string | null {
  try {
    const { challenge } = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8")) as { challenge?: unknown };
    return typeof challenge === "string" ? challenge : null;
  } catch {
    return null;
  }
}

export async function listPasskeys(userId: string): Promise<PasskeyDto[]> {
  const rows = await db().authenticator.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: { credentialID: true, name: true, createdAt: true, lastUsedAt: true },
  });
  return rows.map((row) => ({ id: row.credentialID, name: row.name, createdAt: row.createdAt.toISOString(), lastUsedAt: row.lastUsedAt?.toISOString() ?? null }));
}

/** Adding a passkey needs the password again: a borrowed, signed-in browser must not be able to plant one. */
export async function passkeyRegistrationOptions(userId: string, password: string, context: RequestContext) {
  await assertCurrentPassword(userId, password, context, "password", "passkey_add");
  const user = await db().user.findUniqueOrThrow({
    where: { id: userId },
    select: { username: true, authenticators: { select: { credentialID: true, transports: true } } },
  });
  if (user.authenticators.length >= MAX_PASSKEYS_PER_USER) throw ApiError.of("too_many_passkeys");
  const options = await generateRegistrationOptions({
    rpName: brand().name,
    rpID: relyingParty().id,
    // The user handle a passkey stores: the user's id, as @simplewebauthn/server 9 encoded it for earlier passkeys.
    userID: new TextEncoder().encode(userId),
    userName: user.username,
    attestationType: "none",
    excludeCredentials: user.authenticators.map((authenticator) => ({ id: authenticator.credentialID })),
    // Discoverable, so that "Sign in with a passkey" needs no username first.
    authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
  });
  await storeChallenge(options.challenge, "register", userId);
  return options;
}

export async function registerPasskey(userId: string, response: RegistrationResponse, name: string, context: RequestContext): Promise<PasskeyDto> {
  const challenge = signedChallenge(response?.response?.clientDataJSON ?? "");
  if (!challenge || !(await consumeChallenge(challenge, "register", userId))) {
    throw ApiError.of("invalid_challenge");
  }
  const { id, origin } = relyingParty();
  let verification;
  try {
    verification = await verifyRegistrationResponse({ response, expectedChallenge: challenge, expectedOrigin: origin, expectedRPID: id });
  } catch {
    throw ApiError.of("invalid_passkey");
  }
  const info = verification.registrationInfo;
  if (!verification.verified || !info) throw ApiError.of("invalid_passkey");
  const credentialID = info.credential.id;
  const created = await db().authenticator.create({
    data: {
      credentialID,
      userId,
      providerAccountId: userId,
      credentialPublicKey: Buffer.from(info.credential.publicKey).toString("base64url"),
      counter: info.credential.counter,
      credentialDeviceType: info.credentialDeviceType,
      credentialBackedUp: info.credentialBackedUp,
      transports: response.response.transports?.join(",") ?? null,
      name,
    },
    select: { credentialID: true, name: true, createdAt: true },
  });
  await recordAudit({ type: "passkey.add", actorId: userId, targetId: userId, context });
  return { id: created.credentialID, name: created.name, createdAt: created.createdAt.toISOString(), lastUsedAt: null };
}

export async function renamePasskey(userId: string, credentialID: string, name: string): Promise<void> {
  const { count } = await db().authenticator.updateMany({ where: { userId, credentialID }, data: { name } });
  if (!count) throw ApiError.notFound("passkey");
}

export async function removePasskey(userId: string, credentialID: string, context: RequestContext): Promise<void> {
  const { count } = await db().authenticator.deleteMany({ where: { userId, credentialID } });
  if (!count) throw ApiError.notFound("passkey");
  await recordAudit({ type: "passkey.remove", actorId: userId, targetId: userId, context });
}

export async function passkeyAuthenticationOptions() {
  const options = await generateAuthenticationOptions({ rpID: relyingParty().id, userVerification: "preferred" });
  await storeChallenge(options.challenge, "login");
  return options;
}

/**
 * Signs in with a passkey: the credential must be one we stored, the signature must verify against its public key
 * over a challenge we issued (once), and the signature counter must not go backwards (a cloned authenticator).
 * Returns the user, or null for anything else; a locked account is refused like any other failure.
 */
export async function verifyPasskeyLogin(response: AuthenticationResponse, context: RequestContext): Promise<SessionUser | null> {
  const challenge = signedChallenge(response?.response?.clientDataJSON ?? "");
  if (typeof response?.id !== "string" || !challenge || !(await consumeChallenge(challenge, "login"))) return null;
  const authenticator = await db().authenticator.findUnique({
    where: { credentialID: response.id },
    select: {
      credentialID: true,
      credentialPublicKey: true,
      counter: true,
      transports: true,
      user: { select: { ...sessionUserSelect, ...blockSelect } },
    },
  });
  if (!authenticator) return null;
  const { id, origin } = relyingParty();
  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: id,
      credential: {
        id: authenticator.credentialID,
        publicKey: new Uint8Array(Buffer.from(authenticator.credentialPublicKey, "base64url")),
        counter: authenticator.counter,
      },
    });
  } catch {
    return null;
  }
  const { lockedAt, suspendedUntil, ...user } = authenticator.user;
  const blocked = isBlocked({ lockedAt, suspendedUntil });
  if (!verification.verified || blocked) {
    await recordFailureAudit({ type: "login.failure", targetId: user.id, context, detail: { via: "form", reason: blocked ? "locked" : "wrong_passkey" } });
    return null;
  }
  await db().authenticator.update({
    where: { credentialID: authenticator.credentialID },
    data: { counter: verification.authenticationInfo.newCounter, lastUsedAt: new Date() },
  });
  await recordSuccessfulLogin(user.id, context, { via: "form", factor: "passkey" });
  return user;
}

export async function deleteExpiredWebAuthnChallenges(): Promise<number> {
  const { count } = await db().webAuthnChallenge.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  return count;
}
