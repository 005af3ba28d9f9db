import { decode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { env } from "@/lib/env";
import { consumeLinkIntent, type LinkGrant } from "@/lib/services/link-intents";
import { federatedProviders } from "@/lib/services/federated-providers";
import { LINK_INTENT_COOKIE, LINK_INTENT_COOKIE_PATH } from "./link-intent-cookie";
import { SESSION_COOKIE_NAMES } from "@/lib/services/session-config";

const CALLBACK_PATH = /\/api\/auth\/callback\/([^/]+)\/?$/;

/** Callbacks allowed to link, each with what allowed it; read by the per-request Auth.js configuration. */
const grants = new WeakMap<Request, LinkGrant>();

export function linkGrantFor(request: Request | undefined): LinkGrant | undefined {
  return request ? grants.get(request) : undefined;
}

type CookiePair = { name: string; value: string; raw: string };

function cookiePairs(request: Request): CookiePair[] {
  return (request.headers.get("cookie") ?? "")
    .split(";")
    .map((raw) => raw.trim())
    .filter(Boolean)
    .map((raw) => {
      const equals = raw.indexOf("=");
      return equals < 0 ? { name: raw, value: "", raw } : { name: raw.slice(0, equals), value: raw.slice(equals + 1), raw };
    });
}

/** Auth.js's session cookie, and its chunks (`name.0`, `name.1`, …) should it ever split one. */
const isSessionCookie = (name: string) => SESSION_COOKIE_NAMES.some((session) => name === session || name.startsWith(`${session}.`));

async function sessionClaims(pairs: CookiePair[]): Promise<{ sub?: string; sid?: string } | null> {
  for (const name of SESSION_COOKIE_NAMES) {
    const cookie = pairs.find((pair) => pair.name === name);
    if (!cookie) continue;
    try {
      const claims = await decode({ token: decodeURIComponent(cookie.value), secret: env().AUTH_SECRET, salt: name });
      return claims ? { sub: claims.sub, sid: typeof claims.sid === "string" ? claims.sid : undefined } : null;
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * Auth.js links a provider to whoever the session cookie on its callback names, checking only the cookie's signature
 * and expiry: a cookie ended long ago (logout, revocation, password reset, idle timeout) would do. So on an identity
 * provider's callback the session cookie is removed from the request, which makes the callback a sign-in, unless a
 * linking intent from /account comes with it, is unused and unexpired, and names this provider and this cookie's
 * user and session, which must still pass the check every request passes. The intent is used up either way.
 */
export async function screenProviderCallback(request: NextRequest): Promise<{ request: NextRequest; federatedCallback: boolean }> {
  const provider = CALLBACK_PATH.exec(new URL(request.url).pathname)?.[1];
  if (!provider || !federatedProviders().some((configured) => configured.id === provider)) return { request, federatedCallback: false };
  const pairs = cookiePairs(request);
  const intentToken = pairs.find((pair) => pair.name === LINK_INTENT_COOKIE)?.value;
  if (intentToken) {
    const claims = await sessionClaims(pairs);
    const grant = await consumeLinkIntent(intentToken, { provider, userId: claims?.sub, sessionId: claims?.sid });
    if (grant) {
      grants.set(request, grant);
      return { request, federatedCallback: true };
    }
  }
  const headers = new Headers(request.headers);
  const kept = pairs.filter((pair) => !isSessionCookie(pair.name));
  if (kept.length) headers.set("cookie", kept.map((pair) => pair.raw).join("; "));
  else headers.delete("cookie");
  return { request: new NextRequest(request, { headers }), federatedCallback: true };
}

/** The intent is single use: whatever happened, the browser drops its cookie. */
export function forgetLinkIntent(response: Response): Response {
  const expired = `${LINK_INTENT_COOKIE}=; Path=${LINK_INTENT_COOKIE_PATH}; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax`;
  try {
    response.headers.append("set-cookie", expired);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    copy.headers.append("set-cookie", expired);
    return copy;
  }
}
