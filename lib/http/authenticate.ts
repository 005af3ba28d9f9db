import { auth } from "@/auth";
import { verifyAccessToken } from "@/lib/crypto/access-token";
import type { SessionUser, UserDto } from "@/lib/services/user-dto";
import type { Role } from "@/lib/generated/prisma/enums";
import { env } from "@/lib/env";
import { isApiKey } from "@/lib/crypto/api-key";
import { authenticateApiKey } from "@/lib/services/api-keys";
import { isRecentAuthentication } from "@/lib/security/recent-authentication";
import { isSessionRecentlyAuthenticated, validateSession } from "@/lib/services/sessions";
import { ApiError } from "@/lib/errors";
import type { ApiKeyScope } from "@/lib/validations/api-key-scopes";
import { bodyKind } from "./body";

const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * `sessionId` is the session row behind the cookie or access token, so a request can end "every other" session;
 * an API key has none. `profile` is the caller's whole DTO when the check already read it (bearer and API key).
 * `authTime` is an access token's `auth_time` (seconds). `scopes` is what an API key may do; other callers act with
 * the user's full rights.
 */
export type Caller = {
  user: SessionUser;
  via: "bearer" | "session" | "api_key";
  sessionId?: string;
  profile?: UserDto;
  authTime?: number;
  scopes?: readonly ApiKeyScope[];
};

/**
 * The scope an API key needs for a route, declared at the route's guard call. `null` admits any live key: only for
 * routes that take away and never reveal or grant (ending the user's sessions).
 */
export type RouteScope = ApiKeyScope | null;

function assertScope(caller: Caller, scope: RouteScope): void {
  if (caller.via === "api_key" && scope !== null && !caller.scopes?.includes(scope)) throw ApiError.insufficientScope(scope);
}

function sessionUserOf({ id, username, email, role }: UserDto): SessionUser {
  return { id, username, email, role };
}

/**
 * Cookies ride along on cross-site requests, so a state change authenticated by the session cookie must come
 * from our own pages: the browser's Sec-Fetch-Site and Origin say where the request started.
 */
export function assertSameOrigin(request: Request): void {
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") throw ApiError.forbidden();
  const origin = request.headers.get("origin");
  if (!origin) return;
  const allowed = new Set([new URL(request.url).origin]);
  const publicUrl = env().AUTH_URL;
  if (publicUrl) allowed.add(new URL(publicUrl).origin);
  const host = request.headers.get("host");
  if (host) allowed.add(`${new URL(request.url).protocol}//${host}`);
  if (!allowed.has(origin)) throw ApiError.forbidden();
}

/**
 * A state change carried by the session cookie must come from our own origin, and (except DELETE, which no form
 * can send) as JSON: browsers only send that cross-site after a CORS preflight we never grant, so a cross-site
 * `text/plain` or form post changes nothing even from a browser that omits Origin and Sec-Fetch-Site.
 */
function assertCookieRequestIsOurs(request: Request): void {
  assertSameOrigin(request);
  if (request.method !== "DELETE") bodyKind(request, ["json"]);
}

/**
 * Bearer access token or API key, else the session cookie; a malformed Authorization header is a 401, never a
 * fallback. An API key must hold `scope` (403 `insufficient_scope`); tokens and cookies are not limited by scopes.
 */
export async function authenticateRequest(request: Request, scope: RouteScope): Promise<Caller> {
  const caller = await identifyCaller(request);
  assertScope(caller, scope);
  return caller;
}

async function identifyCaller(request: Request): Promise<Caller> {
  const header = request.headers.get("authorization");
  if (header !== null) {
    const match = BEARER.exec(header);
    if (!match) throw ApiError.unauthorized("Authorization must be a Bearer token");
    if (isApiKey(match[1])) {
      const holder = await authenticateApiKey(match[1]);
      if (!holder) throw ApiError.unauthorized("The API key is invalid, expired or revoked");
      return { user: sessionUserOf(holder.owner), via: "api_key", profile: holder.owner, scopes: holder.scopes };
    }
    const claims = await verifyAccessToken(match[1]);
    const user = claims && (await validateSession(claims.sessionId, claims.userId));
    if (!user || !claims) throw ApiError.unauthorized("The access token is invalid, expired or revoked");
    return { user: sessionUserOf(user), via: "bearer", sessionId: claims.sessionId, profile: user, authTime: claims.authTime };
  }
  const session = await auth();
  if (!session?.user?.id || !session.sessionId) throw ApiError.unauthorized();
  const sessionUser = session.user;
  if (sessionUser.unverified) throw ApiError.unavailable();
  if (!SAFE_METHODS.has(request.method)) {
    assertCookieRequestIsOurs(request);
    // An administrator viewing as this user may look, never act as them.
    if (session.impersonation) throw ApiError.of("impersonation_read_only");
  }
  // auth() has already checked the session row against the database.
  const { id, username, email, role } = sessionUser;
  return { user: { id, username, email, role }, via: "session", sessionId: session.sessionId };
}

export async function authenticateRole(request: Request, role: Role, scope: RouteScope): Promise<Caller> {
  const caller = await authenticateRequest(request, scope);
  if (caller.user.role !== role) throw ApiError.forbidden();
  return caller;
}

/**
 * Sudo mode for route handlers: 403 `reauthentication_required` when the access token's `auth_time`, or the browser
 * session's last authentication, is older than AUTH_SUDO_WINDOW. An API key carries no interactive authentication:
 * routes that add or remove credentials refuse keys altogether (`authenticatePerson`), and the admin routes accept
 * a key as before, since creating it already took a recent authentication.
 */
export async function assertRecentAuthentication(caller: Caller): Promise<void> {
  if (caller.via === "api_key") return;
  const recent =
    caller.via === "bearer"
      ? isRecentAuthentication(caller.authTime === undefined ? null : caller.authTime * 1000, env().AUTH_SUDO_WINDOW)
      : Boolean(caller.sessionId) && (await isSessionRecentlyAuthenticated(caller.sessionId!));
  if (!recent) throw ApiError.reauthenticationRequired();
}

/** A person (not an API key) who authenticated within the sudo window. */
export async function authenticateRecentPerson(request: Request, scope?: ApiKeyScope): Promise<Caller> {
  const caller = await authenticatePerson(request, scope);
  await assertRecentAuthentication(caller);
  return caller;
}

/**
 * Managing sessions and keys needs a person's credentials: a session cookie or an access token, not an API key.
 * `scope` is the route's scope: a key without it hears `insufficient_scope`, one with it `forbidden`.
 */
export async function authenticatePerson(request: Request, scope?: ApiKeyScope): Promise<Caller> {
  const caller = await authenticateRequest(request, scope ?? null);
  if (caller.via === "api_key") throw ApiError.forbidden();
  return caller;
}

/**
 * Services calling Latchkey (introspection): only an API key holding `scope`. A person's token or cookie is a valid
 * credential without that scope, so it hears 403 `insufficient_scope` rather than a 401 that no sign-in would fix.
 */
export async function authenticateService(request: Request, scope: ApiKeyScope): Promise<Caller> {
  const caller = await authenticateRequest(request, scope);
  if (caller.via !== "api_key") throw ApiError.insufficientScope(scope);
  return caller;
}
