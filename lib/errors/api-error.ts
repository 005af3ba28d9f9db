import type { z } from "zod";
import type { Messages } from "@/i18n/locales";
import { localText, translator, type Translator } from "@/i18n/translate";
import { env } from "@/lib/env";
import { errorSpec, type ErrorCode } from "./codes";

export type FieldErrors = Record<string, string[]>;

export type ErrorBody = { error: { code: string; message: string; fields?: FieldErrors } };

type ErrorOptions = { message?: string; fields?: FieldErrors; headers?: Record<string, string> };

/**
 * The one error type that becomes the contract's error JSON; anything else is answered as a generic 500. Built by
 * code from the registry (`ApiError.of`), so a code always has the same status. `reason` is the registry code,
 * `code` the one the JSON carries (the same, except for the few finer codes the registry maps onto `forbidden`).
 */
export type NotFoundSubject = keyof Messages["errors"]["notFoundSubjects"];

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

  /** What was not found, in the reader's words (`errors.notFoundSubjects`); without a subject, the registry's. */
  static notFound(what?: NotFoundSubject): ApiError {
    return ApiError.of("not_found", what ? { message: `errors.notFoundSubjects.${what}` } : {});
  }

  static unavailable(): ApiError {
    return ApiError.of("service_unavailable");
  }

  static rateLimited(retryAfterSeconds: number): ApiError {
    return ApiError.of("rate_limited", { headers: { "Retry-After": String(retryAfterSeconds) } });
  }

  /** The message in the reader's language: the registry's words for the code, unless a caller chose its own. */
  localizedMessage(t: Translator): string {
    return this.message === errorSpec(this.reason).message ? t(`errors.${this.reason}`) : localText(t, this.message);
  }

  /** Field errors travel as catalogue keys (see lib/validations); here they become the reader's words. */
  localizedFields(t: Translator): FieldErrors | undefined {
    return this.fields && localizeFieldErrors(t, this.fields);
  }

  toBody(t: Translator = translator()): ErrorBody {
    const fields = this.localizedFields(t);
    return { error: { code: this.code, message: this.localizedMessage(t), ...(fields && { fields }) } };
  }
}

export function localizeFieldErrors(t: Translator, fields: FieldErrors): FieldErrors {
  const values = { min: env().PASSWORD_MIN_LENGTH };
  return Object.fromEntries(Object.entries(fields).map(([field, messages]) => [field, messages.map((message) => localText(t, message, values))]));
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
      for (const key of issue.keys) add([...issue.path, key].join("."), "fieldErrors.unknownField");
    } else {
      add(issue.path.length ? issue.path.join(".") : "_", issue.message);
    }
  }
  return fields;
}
