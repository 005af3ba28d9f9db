/**
 * Every error the app can answer with, by code: its HTTP status and default English message. Services throw by code
 * (`ApiError.of("mfa_already_enabled")`), route handlers answer from here, and forms map codes, never message texts.
 *
 * A few codes are finer than the contract's: `last_admin`, `self_removal` and `self_lock` go out on the wire as
 * `forbidden` (the JSON API's code is fixed) while the admin pages still tell them apart.
 */
type ErrorSpec = { status: number; message: string; wireCode?: string; headers?: Record<string, string> };

export const INVALID_CREDENTIALS_MESSAGE = "Invalid email/username or password";
export const EMAIL_NOT_VERIFIED_MESSAGE = "Confirm your email address first: we sent you a link";
export const REAUTHENTICATION_REQUIRED_MESSAGE = "Confirm your password again to do this";
export const WRONG_CURRENT_PASSWORD_MESSAGE = "Current password is incorrect";
export const RATE_LIMITED_MESSAGE = "Too many attempts; try again later";
export const INVALID_TOKEN_MESSAGE = "This link is invalid, was already used, or has expired";
export const LAST_SIGN_IN_METHOD_MESSAGE = "Keep another way to sign in first: set a password, add a passkey or link another provider.";
export const LAST_ADMIN_DELETE_MESSAGE = "The last admin can't delete their account; make someone else an admin first";

export const ERROR_CODES = {
  validation_error: { status: 400, message: "Some fields are invalid" },
  invalid_json: { status: 400, message: "Request body is not valid JSON" },
  invalid_token: { status: 400, message: INVALID_TOKEN_MESSAGE },
  invalid_challenge: { status: 400, message: "The passkey prompt expired; try again" },
  invalid_passkey: { status: 400, message: "The passkey could not be verified" },
  mfa_not_started: { status: 400, message: "Start setting up two-factor authentication first" },
  unauthorized: { status: 401, message: "Authentication required", headers: { "WWW-Authenticate": 'Bearer realm="latchkey"' } },
  invalid_credentials: { status: 401, message: INVALID_CREDENTIALS_MESSAGE },
  mfa_required: { status: 401, message: "This account has two-factor authentication: send the current code as otp" },
  email_not_verified: { status: 401, message: EMAIL_NOT_VERIFIED_MESSAGE },
  forbidden: { status: 403, message: "You do not have permission to do this" },
  last_admin: { status: 403, wireCode: "forbidden", message: "The last admin cannot be removed" },
  self_removal: { status: 403, wireCode: "forbidden", message: "You cannot remove your own admin access or account" },
  self_lock: { status: 403, wireCode: "forbidden", message: "You cannot lock your own account" },
  reauthentication_required: { status: 403, message: REAUTHENTICATION_REQUIRED_MESSAGE },
  insufficient_scope: { status: 403, message: "This API key does not have the scope this request needs" },
  not_found: { status: 404, message: "Resource not found" },
  account_exists: { status: 409, message: "An account with this email or username already exists" },
  last_sign_in_method: { status: 409, message: LAST_SIGN_IN_METHOD_MESSAGE },
  mfa_already_enabled: { status: 409, message: "Two-factor authentication is already on" },
  mfa_not_enabled: { status: 409, message: "Two-factor authentication is off" },
  reauthentication_unavailable: { status: 409, message: "Sign in again to continue" },
  too_many_passkeys: { status: 409, message: "Remove a passkey before adding another" },
  payload_too_large: { status: 413, message: "Request body is too large" },
  unsupported_media_type: { status: 415, message: "Content-Type must be application/json" },
  rate_limited: { status: 429, message: RATE_LIMITED_MESSAGE },
  internal_error: { status: 500, message: "Something went wrong on our side" },
  service_unavailable: { status: 503, message: "The service is temporarily unavailable, try again shortly", headers: { "Retry-After": "5" } },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function errorSpec(code: ErrorCode): ErrorSpec {
  return ERROR_CODES[code];
}
