/**
 * A suspension is a lock with an end: until `suspendedUntil` the account can't sign in and none of its sessions,
 * tokens or keys work; after it, everything that was not ended works again. Nothing clears the column at the time:
 * every check compares it with now, so it lifts itself on every instance at once.
 */
export type BlockColumns = { lockedAt: Date | null; suspendedUntil: Date | null };

export const blockSelect = { lockedAt: true, suspendedUntil: true } as const;

/** The end of a suspension still running, else null. */
export function activeSuspension(suspendedUntil: Date | null, now = Date.now()): Date | null {
  return suspendedUntil && suspendedUntil.getTime() > now ? suspendedUntil : null;
}

/** Locked, or suspended right now: no sign-in of any kind. */
export function isBlocked({ lockedAt, suspendedUntil }: BlockColumns, now = Date.now()): boolean {
  return Boolean(lockedAt) || activeSuspension(suspendedUntil, now) !== null;
}

/** The same rule in SQL, for the one-read checks behind every request, on the "User" joined as `alias`. */
export const notBlockedSql = (alias: string) =>
  `${alias}."lockedAt" IS NULL AND (${alias}."suspendedUntil" IS NULL OR ${alias}."suspendedUntil" <= (now() AT TIME ZONE 'UTC'))`;

export const NOT_BLOCKED_SQL = notBlockedSql("u");
