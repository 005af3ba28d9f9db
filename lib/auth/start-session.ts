import "server-only";
import { AuthError, CredentialsSignin } from "next-auth";
import { signIn } from "@/auth";
import { EmailNotVerifiedSignin, RateLimitedSignin } from "./config";

export type StartSessionOutcome =
  | { ok: true }
  | { ok: false; error: "invalid_credentials" }
  | { ok: false; error: "email_not_verified" }
  | { ok: false; error: "rate_limited"; retryAfterSeconds: number };

/**
 * Signs the browser in through Auth.js. Anything other than refused credentials that went wrong inside Auth.js
 * (a database outage, say) is rethrown as itself, so the person sees "temporarily unavailable" rather than a
 * misleading "wrong password".
 */
export async function startSession(identifier: string, password: string): Promise<StartSessionOutcome> {
  try {
    await signIn("credentials", { identifier, password, redirect: false });
    return { ok: true };
  } catch (error) {
    if (error instanceof RateLimitedSignin) return { ok: false, error: "rate_limited", retryAfterSeconds: error.retryAfterSeconds };
    if (error instanceof EmailNotVerifiedSignin) return { ok: false, error: "email_not_verified" };
    if (error instanceof CredentialsSignin) return { ok: false, error: "invalid_credentials" };
    const cause = error instanceof AuthError ? (error.cause as { err?: unknown } | undefined)?.err : undefined;
    throw cause ?? error;
  }
}
