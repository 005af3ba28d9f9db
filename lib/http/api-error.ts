import type { z } from "zod";

export type FieldErrors = Record<string, string[]>;

export type ErrorBody = { error: { code: string; message: string; fields?: FieldErrors } };

/** The one error type that becomes the contract's error JSON; anything else is answered as a generic 500. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldErrors,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "ApiError";
  }

  static validation(fields: FieldErrors, message = "Some fields are invalid"): ApiError {
    return new ApiError(400, "validation_error", message, fields);
  }

  static unauthorized(message = "Authentication required"): ApiError {
    return new ApiError(401, "unauthorized", message, undefined, { "WWW-Authenticate": 'Bearer realm="latchkey"' });
  }

  static invalidCredentials(): ApiError {
    return new ApiError(401, "invalid_credentials", INVALID_CREDENTIALS_MESSAGE);
  }

  /** Only after a right password: the account also needs a code (`otp`). */
  static mfaRequired(): ApiError {
    return new ApiError(401, "mfa_required", "This account has two-factor authentication: send the current code as otp");
  }

  static emailNotVerified(): ApiError {
    return new ApiError(401, "email_not_verified", EMAIL_NOT_VERIFIED_MESSAGE);
  }

  static forbidden(): ApiError {
    return new ApiError(403, "forbidden", "You do not have permission to do this");
  }

  /** Sudo mode: the caller's last authentication is older than AUTH_SUDO_WINDOW. */
  static reauthenticationRequired(): ApiError {
    return new ApiError(403, "reauthentication_required", REAUTHENTICATION_REQUIRED_MESSAGE);
  }

  static notFound(what = "Resource"): ApiError {
    return new ApiError(404, "not_found", `${what} not found`);
  }

  static unavailable(): ApiError {
    return new ApiError(503, "service_unavailable", "The service is temporarily unavailable, try again shortly", undefined, {
      "Retry-After": "5",
    });
  }

  static rateLimited(retryAfterSeconds: number): ApiError {
    return new ApiError(429, "rate_limited", RATE_LIMITED_MESSAGE, undefined, { "Retry-After": String(retryAfterSeconds) });
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.fields && { fields: this.fields }) } };
  }
}

export const INVALID_CREDENTIALS_MESSAGE = "Invalid email/username or password";
export const EMAIL_NOT_VERIFIED_MESSAGE = "Confirm your email address first: we sent you a link";
export const REAUTHENTICATION_REQUIRED_MESSAGE = "Confirm your password again to do this";
export const WRONG_CURRENT_PASSWORD_MESSAGE = "Current password is incorrect";
export const RATE_LIMITED_MESSAGE = "Too many attempts; try again later";

/** Every field error of a zod failure, unknown keys reported against the key itself. */
export function zodFieldErrors(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  const add = (field: string, message: string) => {
    (fields[field] ??= []).push(message);
  };
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) add([...issue.path, key].join("."), "Unknown field");
    } else {
      add(issue.path.length ? issue.path.join(".") : "_", issue.message);
    }
  }
  return fields;
}
