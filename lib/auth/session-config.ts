/** Browser sessions: the session cookie and its JWT expire a week after sign-in. */
export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;
/** How often Auth.js may re-issue the session JWT when it serves /api/auth/session. */
export const SESSION_UPDATE_AGE_SECONDS = 60 * 60;
export const SESSION_COOKIE_NAMES = ["authjs.session-token", "__Secure-authjs.session-token"] as const;
export const DEFAULT_REDIRECT = "/dashboard";

/**
 * Only same-origin relative paths: `//evil`, `/\evil`, `https:evil`, `javascript:` and anything with
 * control characters all fall back to the dashboard.
 */
export function safeCallbackPath(candidate: unknown): string {
  if (typeof candidate !== "string" || candidate.length > 2048) return DEFAULT_REDIRECT;
  if (!candidate.startsWith("/") || candidate.startsWith("//") || candidate.startsWith("/\\")) return DEFAULT_REDIRECT;
  if (/[\u0000-\u001f\u007f\\]/.test(candidate)) return DEFAULT_REDIRECT;
  try {
    const base = "http://latchkey.invalid";
    const url = new URL(candidate, base);
    if (url.origin !== base) return DEFAULT_REDIRECT;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return DEFAULT_REDIRECT;
  }
}
