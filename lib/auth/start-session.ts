import "server-only";
import { AuthError, CredentialsSignin } from "next-auth";
import { signIn } from "@/auth";
import { AccountSuspendedSignin, ChallengeExpiredSignin, EmailNotVerifiedSignin, RateLimitedSignin, SecondFactorRequiredSignin } from "./config";

export type StartSessionOutcome =
  | { ok: true }
  | { ok: false; error: "invalid_credentials" }
  | { ok: false; error: "email_not_verified" }
  | { ok: false; error: "account_suspended"; until: Date }
  | { ok: false; error: "challenge_expired" }
  | { ok: false; error: "mfa_required"; challengeToken: string }
  | { ok: false; error: "rate_limited"; retryAfterSeconds: number };

/**
 * Signs the browser in through Auth.js. Anything other than refused credentials that went wrong inside Auth.js
 * (a database outage, say) is rethrown as itself, so the person sees "temporarily unavailable" rather than a
 * misleading "wrong password".
 */
async function signInWith(provider: "credentials" | "passkey" | "impersonation", credentials: Record<string, string>): Promise<StartSessionOutcome> {
  try {
    await signIn(provider, { ...credentials, redirect: false });
    return { ok: true };
  } catch (error) {
    if (error instanceof RateLimitedSignin) return { ok: false, error: "rate_limited", retryAfterSeconds: error.retryAfterSeconds };
    if (error instanceof SecondFactorRequiredSignin) return { ok: false, error: "mfa_required", challengeToken: error.challengeToken };
    if (error instanceof ChallengeExpiredSignin) return { ok: false, error: "challenge_expired" };
    if (error instanceof AccountSuspendedSignin) return { ok: false, error: "account_suspended", until: error.until };
    if (error instanceof EmailNotVerifiedSignin) return { ok: false, error: "email_not_verified" };
    if (error instanceof CredentialsSignin) return { ok: false, error: "invalid_credentials" };
    const cause = error instanceof AuthError ? (error.cause as { err?: unknown } | undefined)?.err : undefined;
    throw cause ?? error;
  }
}

export function startSession(identifier: string, password: string): Promise<StartSessionOutcome> {
  return signInWith("credentials", { identifier, password });
}

/** The second step: the challenge from the first step's cookie and the code the person typed. */
export function completeSecondFactorSession(challenge: string, code: string): Promise<StartSessionOutcome> {
  return signInWith("credentials", { challenge, code });
}

/** A passkey's signed answer (JSON from the browser), checked by the "passkey" provider. */
export function startPasskeySession(response: string): Promise<StartSessionOutcome> {
  return signInWith("passkey", { response });
}

/** Puts the session a one-time grant names in this browser: starting or stopping "View as this user". */
export function switchSession(grant: string): Promise<StartSessionOutcome> {
  return signInWith("impersonation", { grant });
}
