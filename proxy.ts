import { NextResponse, type NextRequest } from "next/server";
import { SESSION_COOKIE_NAMES } from "@/lib/services/session-config";
import { env } from "@/lib/env";
import { logoOrigin } from "@/lib/env/branding";
import { federatedOrigins } from "@/lib/auth/federation";
import {
  INLINE_STYLE_PATHS,
  REQUEST_PATH_HEADER,
  TOKEN_PAGE_PATHS,
  TOKEN_PAGE_REFERRER_POLICY,
  createNonce,
  pageContentSecurityPolicy,
  strictTransportSecurity,
} from "@/lib/security/headers";

const PROTECTED_PREFIXES = ["/dashboard", "/account", "/admin", "/examples"];

function isProtected(pathname: string): boolean {
  return PROTECTED_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

function hasSessionCookie(request: NextRequest): boolean {
  return request.cookies
    .getAll()
    .some(({ name }) => SESSION_COOKIE_NAMES.some((session) => name === session || name.startsWith(`${session}.`)));
}

/**
 * Every page gets a fresh CSP nonce and the security headers that depend on the request. The only access decision
 * here is an early, optimistic redirect for visitors without a session cookie: every page, action and route
 * handler verifies the session and role itself.
 */
export function proxy(request: NextRequest) {
  const https = request.nextUrl.protocol === "https:";
  const nonce = createNonce();
  const inlineStyles = INLINE_STYLE_PATHS.some((path) => request.nextUrl.pathname.startsWith(path));
  const policy = pageContentSecurityPolicy(nonce, {
    development: env().NODE_ENV === "development",
    https,
    inlineStyles,
    formTargets: federatedOrigins(),
    imageSources: [logoOrigin()].filter((origin) => origin !== undefined),
  });

  let response: NextResponse;
  if (isProtected(request.nextUrl.pathname) && !hasSessionCookie(request)) {
    const login = new URL("/login", request.url);
    login.searchParams.set("callbackUrl", `${request.nextUrl.pathname}${request.nextUrl.search}`);
    response = NextResponse.redirect(login);
  } else {
    // Next.js reads the nonce from the request's CSP header and puts it on the scripts it renders.
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set("Content-Security-Policy", policy);
    requestHeaders.set(REQUEST_PATH_HEADER, `${request.nextUrl.pathname}${request.nextUrl.search}`);
    response = NextResponse.next({ request: { headers: requestHeaders } });
  }
  response.headers.set("Content-Security-Policy", policy);
  if (TOKEN_PAGE_PATHS.some((path) => request.nextUrl.pathname.startsWith(path))) {
    response.headers.set("Referrer-Policy", TOKEN_PAGE_REFERRER_POLICY);
  }
  if (https) response.headers.set("Strict-Transport-Security", strictTransportSecurity());
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!api/|_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
