/** Browser sessions: the session cookie and its JWT expire a week after sign-in. */
export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;
/** How often Auth.js may re-issue the session JWT when it serves /api/auth/session. */
export const SESSION_UPDATE_AGE_SECONDS = 60 * 60;
export const SESSION_COOKIE_NAMES = ["authjs.session-token", "__Secure-authjs.session-token"] as const;
/** An administrator viewing as a user: at most this long, whatever they do meanwhile. */
export const IMPERSONATION_MAX_AGE_SECONDS = 30 * 60;
