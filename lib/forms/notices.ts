import { UNAVAILABLE_MESSAGE } from "./form-state";

export type NoticeTone = "success" | "info" | "error";
export type Notice = { tone: NoticeTone; text: string };

/**
 * Every `?notice=` a redirect may carry, with its tone: a fixed list, so nothing user-supplied is echoed, and a
 * refusal never looks like a success.
 */
export const NOTICES = {
  // /account
  "password-changed": { tone: "success", text: "Password changed. Your other sessions have been signed out." },
  "session-ended": { tone: "success", text: "Signed out of that session." },
  "session-not-found": { tone: "error", text: "That session has already ended." },
  "other-sessions-ended": { tone: "success", text: "Signed out of all other sessions." },
  "api-key-revoked": { tone: "success", text: "API key revoked." },
  "api-key-not-found": { tone: "error", text: "That API key no longer exists." },
  "two-factor-off": { tone: "success", text: "Two-factor authentication is off." },
  "passkey-renamed": { tone: "success", text: "Passkey renamed." },
  "passkey-removed": { tone: "success", text: "Passkey removed." },
  "passkey-not-found": { tone: "error", text: "That passkey no longer exists." },
  "passkey-name-invalid": { tone: "error", text: "A passkey name needs 1 to 64 characters." },
  "account-unlinked": { tone: "success", text: "Provider unlinked." },
  "account-not-linked": { tone: "error", text: "That provider is not linked to your account." },
  "provider-linked": { tone: "success", text: "Provider linked: you can now sign in with it too." },
  "last-sign-in-method": {
    tone: "error",
    text: "Keep another way to sign in first: set a password, add a passkey or link another provider.",
  },
  // /login
  "signed-out-everywhere": { tone: "info", text: "You have been signed out on every device." },
  "account-deleted": { tone: "info", text: "Your account has been deleted." },
  // /admin
  "role-updated": { tone: "success", text: "Role updated." },
  "user-deleted": { tone: "success", text: "User deleted." },
  "user-locked": { tone: "success", text: "User locked: every session and token has ended." },
  "user-unlocked": { tone: "success", text: "User unlocked." },
  "user-suspended": { tone: "success", text: "User suspended: every session and token has ended, and the user was told by mail." },
  "suspension-lifted": { tone: "success", text: "Suspension lifted." },
  "throttle-cleared": { tone: "success", text: "Sign-in back-off cleared." },
  "last-admin": { tone: "error", text: "The last admin cannot be demoted or deleted." },
  self: { tone: "error", text: "You cannot demote, lock or delete your own account." },
  "not-found": { tone: "error", text: "That user no longer exists." },
  invalid: { tone: "error", text: "That change is not valid." },
  "sessions-ended": { tone: "success", text: "Every session and access token of this user has ended." },
  "two-factor-reset": { tone: "success", text: "Two-factor authentication turned off; the user was signed out and told by mail." },
  "reset-sent": { tone: "success", text: "A password reset link was mailed to the user." },
  "rate-limited": { tone: "error", text: "Too many mails to this address for now; try again later." },
  "confirmation-mismatch": { tone: "error", text: "Type the username exactly to confirm the deletion." },
  "mail-retried": { tone: "success", text: "The mail is queued again and will be sent shortly." },
  "mail-not-found": { tone: "error", text: "That mail is no longer waiting for a retry: it was retried, sent or removed." },
  // Any page: the database was away, so nothing changed.
  unavailable: { tone: "error", text: UNAVAILABLE_MESSAGE },
  failed: { tone: "error", text: "That didn't work. Nothing was changed; please try again." },
} as const satisfies Record<string, Notice>;

export type NoticeKey = keyof typeof NOTICES;

/** The notice a page's `?notice=` names, if it is one of ours. */
export function noticeFor(param: string | string[] | undefined): Notice | undefined {
  return typeof param === "string" && Object.hasOwn(NOTICES, param) ? NOTICES[param as NoticeKey] : undefined;
}

/** `path` with `?notice=<key>`, keeping the path's own query. */
export function withNotice(path: string, notice: NoticeKey): string {
  const url = new URL(path, "http://latchkey.invalid");
  url.searchParams.set("notice", notice);
  return `${url.pathname}${url.search}`;
}
