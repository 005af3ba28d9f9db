import type { z } from "zod";
import { errorSpec, type ErrorCode } from "./codes";

export type FieldErrors = Record<string, string[]>;

export type ErrorBody = { error: { code: string; message: string; fields?: FieldErrors } };

type ErrorOptions = { message?: string; fields?: FieldErrors; headers?: Record<string, string> };

/**
 * The one error type that becomes the contract's error JSON; anything else is answered as a generic 500. Built by
 * code from the registry (`ApiError.of`), so a code always has the same status. `reason` is the registry code,
 * `code` the one the JSON carries (the same, except for the few finer codes the registry maps onto `forbidden`).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields?: FieldErrors;
  readonly headers?: Record<string, string>;

  private constructor(
    readonly reason: ErrorCode,
    { message, fields, headers }: ErrorOptions,
  ) {
    const spec = errorSpec(reason);
    super(message ?? spec.message);
    this.name = "ApiError";
    this.status = spec.status;
    this.code = spec.wireCode ?? reason;
    this.fields = fields;
    const allHeaders = { ...spec.headers, ...headers };
    this.headers = Object.keys(allHeaders).length ? allHeaders : undefined;
  }

  static of(code: ErrorCode, options: ErrorOptions = {}): ApiError {
    return new ApiError(code, options);
  }

  static validation(fields: FieldErrors, message?: string): ApiError {
    return ApiError.of("validation_error", { message, fields });
  }

  static unauthorized(message?: string): ApiError {
    return ApiError.of("unauthorized", { message });
  }

  static invalidCredentials(): ApiError {
    return ApiError.of("invalid_credentials");
  }

  /** Only after a right password: the account also needs a code (`otp`). */
  static mfaRequired(): ApiError {
    return ApiError.of("mfa_required");
  }

  static emailNotVerified(): ApiError {
    return ApiError.of("email_not_verified");
  }

  static forbidden(): ApiError {
    return ApiError.of("forbidden");
  }

  /** Sudo mode: the caller's last authentication is older than AUTH_SUDO_WINDOW. */
  static reauthenticationRequired(): ApiError {
    return ApiError.of("reauthentication_required");
  }

  /** An API key without the route's scope (RFC 6750 §3.1): the header names the scope to ask for. */
  static insufficientScope(scope: string): ApiError {
    return ApiError.of("insufficient_scope", {
      message: `This API key does not have the ${scope} scope`,
      headers: { "WWW-Authenticate": `Bearer realm="latchkey", error="insufficient_scope", scope="${scope}"` },
    });
  }

  static notFound(what = "Resource"): ApiError {
    return ApiError.of("not_found", { message: `${what} not found` });
  }

  static unavailable(): ApiError {
    return ApiError.of("service_unavailable");
  }

  static rateLimited(retryAfterSeconds: number): ApiError {
    return ApiError.of("rate_limited", { headers: { "Retry-After": String(retryAfterSeconds) } });
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.fields && { fields: this.fields }) } };
  }
}

export function isApiError(error: unknown, code?: ErrorCode): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.reason === code);
}

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
