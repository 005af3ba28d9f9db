/** Outcomes of admin actions, shown after the redirect: a fixed list, so nothing user-supplied is echoed. */
export const ADMIN_NOTICES: Record<string, { tone: "success" | "error"; text: string }> = {
  "role-updated": { tone: "success", text: "Role updated." },
  "user-deleted": { tone: "success", text: "User deleted." },
  "user-locked": { tone: "success", text: "User locked: every session and token has ended." },
  "user-unlocked": { tone: "success", text: "User unlocked." },
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
};
