/**
 * Sudo mode: adding or removing a way to sign in, or a long-lived credential, needs an authentication this recent.
 * `authenticatedAtMs` is when the caller last proved who they are (a sign-in, the access token's `auth_time`, or
 * the password again on the confirm page). A time in the future is someone's clock or forgery, never "recent".
 */
export function isRecentAuthentication(authenticatedAtMs: number | null | undefined, windowSeconds: number, nowMs = Date.now()): boolean {
  if (typeof authenticatedAtMs !== "number" || !Number.isFinite(authenticatedAtMs)) return false;
  const ageMs = nowMs - authenticatedAtMs;
  // A second of slack for clocks: auth_time is whole seconds, truncated.
  return ageMs >= -1000 && ageMs <= windowSeconds * 1000;
}
