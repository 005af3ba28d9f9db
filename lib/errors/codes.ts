import { formatUtcMinute } from "@/i18n/format";
import en from "@/messages/en.json";

/**
 * Every error the app can answer with, by code: its HTTP status and default English message (from the English
 * catalogue, `errors.<code>`; other languages say it in their own catalogue). Services throw by code
 * (`ApiError.of("mfa_already_enabled")`), route handlers answer from here, and forms map codes, never message texts.
 *
 * A few codes are finer than the contract's: `last_admin`, `self_removal` and `self_lock` go out on the wire as
 * `forbidden` (the JSON API's code is fixed) while the admin pages still tell them apart.
 */
type ErrorSpec = { status: number; message: string; wireCode?: string; headers?: Record<string, string> };

export const INVALID_CREDENTIALS_MESSAGE = en.errors.invalid_credentials;
export const EMAIL_NOT_VERIFIED_MESSAGE = en.errors.email_not_verified;
export const REAUTHENTICATION_REQUIRED_MESSAGE = en.errors.reauthentication_required;
export const WRONG_CURRENT_PASSWORD_MESSAGE = "Current password is incorrect";
export const RATE_LIMITED_MESSAGE = en.errors.rate_limited;
export const INVALID_TOKEN_MESSAGE = en.errors.invalid_token;
export const LAST_SIGN_IN_METHOD_MESSAGE = en.errors.last_sign_in_method;
export const LAST_ADMIN_DELETE_MESSAGE = "The last admin can't delete their account; make someone else an admin first";

/** Told only to someone who gave the right password: when the suspension lifts, in UTC. */
export function accountSuspendedMessage(until: Date): string {
  return en.errors.account_suspended_until.replace("{until}", formatUtcMinute(until));
}

export const ERROR_CODES = {
  validation_error: { status: 400, message: en.errors.validation_error },
  invalid_json: { status: 400, message: en.errors.invalid_json },
  invalid_token: { status: 400, message: en.errors.invalid_token },
  unsupported_grant_type: { status: 400, message: en.errors.unsupported_grant_type },
  invalid_challenge: { status: 400, message: en.errors.invalid_challenge },
  invalid_passkey: { status: 400, message: en.errors.invalid_passkey },
  mfa_not_started: { status: 400, message: en.errors.mfa_not_started },
  unauthorized: { status: 401, message: en.errors.unauthorized, headers: { "WWW-Authenticate": 'Bearer realm="latchkey"' } },
  invalid_credentials: { status: 401, message: en.errors.invalid_credentials },
  mfa_required: { status: 401, message: en.errors.mfa_required },
  email_not_verified: { status: 401, message: en.errors.email_not_verified },
  forbidden: { status: 403, message: en.errors.forbidden },
  last_admin: { status: 403, wireCode: "forbidden", message: en.errors.last_admin },
  self_removal: { status: 403, wireCode: "forbidden", message: en.errors.self_removal },
  self_lock: { status: 403, wireCode: "forbidden", message: en.errors.self_lock },
  reauthentication_required: { status: 403, message: en.errors.reauthentication_required },
  account_suspended: { status: 403, message: en.errors.account_suspended },
  insufficient_scope: { status: 403, message: en.errors.insufficient_scope },
  impersonation_read_only: { status: 403, wireCode: "forbidden", message: en.errors.impersonation_read_only },
  not_found: { status: 404, message: en.errors.not_found },
  account_exists: { status: 409, message: en.errors.account_exists },
  last_sign_in_method: { status: 409, message: en.errors.last_sign_in_method },
  mfa_already_enabled: { status: 409, message: en.errors.mfa_already_enabled },
  mfa_not_enabled: { status: 409, message: en.errors.mfa_not_enabled },
  reauthentication_unavailable: { status: 409, message: en.errors.reauthentication_unavailable },
  too_many_passkeys: { status: 409, message: en.errors.too_many_passkeys },
  impersonation_refused: { status: 409, message: en.errors.impersonation_refused },
  payload_too_large: { status: 413, message: en.errors.payload_too_large },
  unsupported_media_type: { status: 415, message: en.errors.unsupported_media_type },
  rate_limited: { status: 429, message: en.errors.rate_limited },
  internal_error: { status: 500, message: en.errors.internal_error },
  service_unavailable: { status: 503, message: en.errors.service_unavailable, headers: { "Retry-After": "5" } },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function errorSpec(code: ErrorCode): ErrorSpec {
  return ERROR_CODES[code];
}
