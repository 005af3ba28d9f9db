import { auth } from "@/auth";
import { verifyAccessToken } from "@/lib/auth/access-token";
import type { Principal } from "@/lib/dal/user-dto";
import type { Role } from "@/lib/generated/prisma/enums";
import { env } from "@/lib/env";
import { getSessionUser } from "@/lib/services/accounts";
import { ApiError } from "./api-error";

const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/;
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type Caller = { user: Principal; via: "bearer" | "session" };

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

/** Bearer access token, else the session cookie; a malformed Authorization header is a 401, never a fallback. */
export async function authenticateRequest(request: Request): Promise<Caller> {
  const header = request.headers.get("authorization");
  if (header !== null) {
    const match = BEARER.exec(header);
    if (!match) throw ApiError.unauthorized("Authorization must be a Bearer token");
    const claims = await verifyAccessToken(match[1]);
    const user = claims && (await getSessionUser(claims.userId, claims.sessionVersion));
    if (!user) throw ApiError.unauthorized("The access token is invalid, expired or revoked");
    return { user, via: "bearer" };
  }
  const session = await auth();
  const sessionUser = session?.user;
  if (!sessionUser?.id) throw ApiError.unauthorized();
  if (sessionUser.unverified) throw ApiError.unavailable();
  if (!SAFE_METHODS.has(request.method)) assertSameOrigin(request);
  // auth() has already checked the session version against the database.
  const { id, username, email, role } = sessionUser;
  return { user: { id, username, email, role }, via: "session" };
}

export async function authenticateRole(request: Request, role: Role): Promise<Caller> {
  const caller = await authenticateRequest(request);
  if (caller.user.role !== role) throw ApiError.forbidden();
  return caller;
}
