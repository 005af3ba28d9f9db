import type { ErrorCode } from "@/lib/errors";
import {
  passwordGrantSchema,
  refreshGrantFormSchema,
  refreshGrantSchema,
  revokeTokenFormSchema,
  revokeTokenSchema,
  tokenRequestSchema,
} from "@/lib/validations/auth";
import { ApiError } from "@/lib/errors";
import { translator } from "@/i18n/translate";
import { type BodyKind, parseFormText, parseJsonText, parseWith, readBodyText } from "./body";
import { asApiError, json } from "./route";

export type TokenRequest =
  | { grant: "password"; identifier: string; password: string; otp?: string }
  | { grant: "refresh_token"; refreshToken: string };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * JSON: `{identifier, password, otp?}` as the contract has always taken it, or the refresh grant. Form (RFC 6749):
 * `grant_type` says which; any other grant type is `unsupported_grant_type`.
 */
export async function readTokenRequest(request: Request, kind: BodyKind): Promise<TokenRequest> {
  const text = await readBodyText(request);
  if (kind === "json") {
    const value = parseJsonText(text);
    if (isObject(value) && value.grant_type === "refresh_token") return { grant: "refresh_token", refreshToken: parseWith(refreshGrantSchema, value).refresh_token };
    return { grant: "password", ...parseWith(tokenRequestSchema, value) };
  }
  const fields = parseFormText(text);
  switch (fields.grant_type) {
    case "password": {
      const { username, password, otp } = parseWith(passwordGrantSchema, fields);
      return { grant: "password", identifier: username, password, otp };
    }
    case "refresh_token":
      return { grant: "refresh_token", refreshToken: parseWith(refreshGrantFormSchema, fields).refresh_token };
    case undefined:
      throw ApiError.validation({ grant_type: ["grant_type is required"] });
    default:
      throw ApiError.of("unsupported_grant_type");
  }
}

/**
 * RFC 7009's body, `{token}` (JSON or form), or null when the request has none (or an empty JSON object): then
 * the revoke route keeps its older meaning, "end everything of the authenticated caller".
 */
export async function readRevocationRequest(request: Request, kind: BodyKind | null): Promise<{ token: string } | null> {
  if (!kind) return null;
  const text = await readBodyText(request);
  if (!text.trim()) return null;
  if (kind === "form") {
    const fields = parseFormText(text);
    return Object.keys(fields).length ? { token: parseWith(revokeTokenFormSchema, fields).token } : null;
  }
  const value = parseJsonText(text);
  return isObject(value) && Object.keys(value).length === 0 ? null : { token: parseWith(revokeTokenSchema, value).token };
}

/** RFC 6749 §5.2's codes for ours; a refusal of the grant itself is `invalid_grant`, always 400. */
const OAUTH_ERRORS: Partial<Record<ErrorCode, { error: string; status?: number }>> = {
  invalid_credentials: { error: "invalid_grant", status: 400 },
  mfa_required: { error: "invalid_grant", status: 400 },
  email_not_verified: { error: "invalid_grant", status: 400 },
  account_suspended: { error: "invalid_grant", status: 400 },
  unsupported_grant_type: { error: "unsupported_grant_type" },
  rate_limited: { error: "temporarily_unavailable" },
  service_unavailable: { error: "temporarily_unavailable" },
  internal_error: { error: "server_error" },
};

/**
 * Form-encoded (OAuth2) requests get `{"error", "error_description"}` so standard clients understand them; the
 * status and headers (`Retry-After`) stay ours, except that a refused grant is 400 as the RFC says. Anything else
 * the request did wrong (a missing or repeated field, a body too large) is `invalid_request`.
 */
export function oauthErrorResponse(error: unknown, request: Request): Response {
  const apiError = asApiError(error, request);
  const mapped = OAUTH_ERRORS[apiError.reason] ?? { error: "invalid_request" };
  const headers = { ...apiError.headers, Pragma: "no-cache" };
  // In the source language: OAuth clients show error_description to developers, not to the person.
  return json({ error: mapped.error, error_description: apiError.localizedMessage(translator()) }, mapped.status ?? apiError.status, headers);
}
