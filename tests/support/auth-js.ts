import { Auth } from "@auth/core";
import { authConfig } from "@/lib/auth/config";
import { ORIGIN, TEST_ADDRESS, peerHeaders } from "./http";

/**
 * The real Auth.js request flow, as a browser drives it: the CSRF token first, then a form post to a callback.
 * Integration tests use it to get, use and end browser sessions through the same callbacks pages rely on.
 */
const config = () => ({ ...authConfig(), basePath: "/api/auth" });
const peer = peerHeaders(TEST_ADDRESS);

const cookiePairs = (response: Response) => response.headers.getSetCookie().map((line) => line.split(";")[0]);

async function csrf(origin: string): Promise<{ csrfToken: string; cookie: string }> {
  const response = await Auth(new Request(`${origin}/api/auth/csrf`, { headers: peer }), config());
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { csrfToken, cookie: cookiePairs(response).join("; ") };
}

async function postForm(origin: string, path: string, fields: Record<string, string>, extraCookie?: string): Promise<Response> {
  const { csrfToken, cookie } = await csrf(origin);
  return Auth(
    new Request(`${origin}${path}`, {
      method: "POST",
      headers: { ...peer, cookie: [cookie, extraCookie].filter(Boolean).join("; "), "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, callbackUrl: `${origin}/dashboard`, ...fields }),
    }),
    config(),
  );
}

/** The `name=value` of the session cookie a response sets, if it sets one. */
export function sessionCookieOf(response: Response): string | undefined {
  return cookiePairs(response).find((pair) => /authjs\.session-token=./.test(pair));
}

/** A password sign-in through the credentials callback; the full Set-Cookie line of the session, if any. */
export async function signInThroughAuthJs(origin: string, identifier: string, password: string) {
  const response = await postForm(origin, "/api/auth/callback/credentials", { identifier, password });
  const sessionCookie = response.headers.getSetCookie().find((line) => /authjs\.session-token=/.test(line));
  return { response, sessionCookie };
}

/** The second step of a 2FA sign-in: the challenge from the first step and a code. */
export async function completeChallengeThroughAuthJs(challenge: string, code: string) {
  return sessionCookieOf(await postForm(ORIGIN, "/api/auth/callback/credentials", { challenge, code }));
}

/** "Sign in with a passkey": the browser's signed assertion, posted to the passkey provider's callback. */
export async function passkeySignInThroughAuthJs(assertion: unknown) {
  return sessionCookieOf(await postForm(ORIGIN, "/api/auth/callback/passkey", { response: JSON.stringify(assertion) }));
}

/** "Log out" in the browser that holds this session cookie. */
export async function signOutThroughAuthJs(sessionCookie: string): Promise<void> {
  await postForm(ORIGIN, "/api/auth/signout", {}, sessionCookie);
}

/** Who this cookie signs in, as every page asks Auth.js (the jwt callback runs the session check): null if nobody. */
export async function sessionUserId(sessionCookie: string): Promise<string | null> {
  const response = await Auth(new Request(`${ORIGIN}/api/auth/session`, { headers: { ...peer, cookie: sessionCookie } }), config());
  const session = (await response.json()) as { user?: { id?: string; unverified?: boolean } } | null;
  // Unverified: the session check couldn't reach the database, so this says nothing about the session.
  if (session?.user?.unverified) throw new Error("the session check could not reach the database");
  return session?.user?.id ?? null;
}

/** A sign-in through any provider's callback, as `signIn(provider, fields)` does it: the session cookie, if any. */
export async function signInThroughProvider(provider: string, fields: Record<string, string>): Promise<string | undefined> {
  return sessionCookieOf(await postForm(ORIGIN, `/api/auth/callback/${provider}`, fields));
}

/** What `auth()` answers for this cookie (the jwt callback runs the session check): the session, or null. */
export async function sessionOf(sessionCookie: string): Promise<Record<string, unknown> | null> {
  const response = await Auth(new Request(`${ORIGIN}/api/auth/session`, { headers: { ...peer, cookie: sessionCookie } }), config());
  const session = (await response.json()) as { user?: { id?: string } } | null;
  return session?.user?.id ? session : null;
}
