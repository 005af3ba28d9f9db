export type NoticeTone = "success" | "info" | "error";
export type Notice = { tone: NoticeTone };

/**
 * Every `?notice=` a redirect may carry, with its tone: a fixed list, so nothing user-supplied is echoed, and a
 * refusal never looks like a success. The words are in the catalogues, under `notices.<key>`.
 */
export const NOTICES = {
  // /account
  "password-changed": { tone: "success" },
  "session-ended": { tone: "success" },
  "session-not-found": { tone: "error" },
  "other-sessions-ended": { tone: "success" },
  "api-key-revoked": { tone: "success" },
  "api-key-not-found": { tone: "error" },
  "two-factor-off": { tone: "success" },
  "passkey-renamed": { tone: "success" },
  "passkey-removed": { tone: "success" },
  "passkey-not-found": { tone: "error" },
  "passkey-name-invalid": { tone: "error" },
  "account-unlinked": { tone: "success" },
  "account-not-linked": { tone: "error" },
  "provider-linked": { tone: "success" },
  "last-sign-in-method": { tone: "error" },
  "viewing-read-only": { tone: "error" },
  // /login
  "signed-out-everywhere": { tone: "info" },
  "account-deleted": { tone: "info" },
  // /admin
  "role-updated": { tone: "success" },
  "user-deleted": { tone: "success" },
  "user-locked": { tone: "success" },
  "user-unlocked": { tone: "success" },
  "user-suspended": { tone: "success" },
  "suspension-lifted": { tone: "success" },
  "throttle-cleared": { tone: "success" },
  "last-admin": { tone: "error" },
  self: { tone: "error" },
  "not-found": { tone: "error" },
  invalid: { tone: "error" },
  "sessions-ended": { tone: "success" },
  "two-factor-reset": { tone: "success" },
  "reset-sent": { tone: "success" },
  "rate-limited": { tone: "error" },
  "confirmation-mismatch": { tone: "error" },
  "mail-retried": { tone: "success" },
  "mail-not-found": { tone: "error" },
  "impersonation-refused": { tone: "error" },
  "impersonation-reason-required": { tone: "error" },
  "impersonation-ended": { tone: "success" },
  // Any page: the database was away, so nothing changed.
  unavailable: { tone: "error" },
  failed: { tone: "error" },
} as const satisfies Record<string, Notice>;

export type NoticeKey = keyof typeof NOTICES;

/** The notice a page's `?notice=` names, if it is one of ours. */
export function noticeFor(param: string | string[] | undefined): (Notice & { key: NoticeKey }) | undefined {
  return typeof param === "string" && Object.hasOwn(NOTICES, param) ? { key: param as NoticeKey, ...NOTICES[param as NoticeKey] } : undefined;
}

/** `path` with `?notice=<key>`, keeping the path's own query. */
export function withNotice(path: string, notice: NoticeKey): string {
  const url = new URL(path, "http://latchkey.invalid");
  url.searchParams.set("notice", notice);
  return `${url.pathname}${url.search}`;
}
