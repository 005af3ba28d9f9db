import "server-only";
import { AuthError, CredentialsSignin } from "next-auth";
import { signIn } from "@/auth";

/**
 * Signs the browser in through Auth.js; false when the credentials were refused. Anything else that went wrong
 * inside Auth.js (a database outage, say) is rethrown as itself, so the person sees "temporarily unavailable"
 * rather than a misleading "wrong password".
 */
export async function startSession(identifier: string, password: string): Promise<boolean> {
  try {
    await signIn("credentials", { identifier, password, redirect: false });
    return true;
  } catch (error) {
    if (error instanceof CredentialsSignin) return false;
    const cause = error instanceof AuthError ? (error.cause as { err?: unknown } | undefined)?.err : undefined;
    throw cause ?? error;
  }
}
