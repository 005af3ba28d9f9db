import { negotiateLocale } from "@/i18n/locales";
import { translator } from "@/i18n/translate";
import { isDatabaseUnreachable } from "@/lib/db/errors";
import { ApiError } from "@/lib/errors";
import { describeError, logger, requestLogger } from "@/lib/log";

type Handler<C> = (request: Request, context: C) => Promise<Response>;

const NO_STORE = { "Cache-Control": "no-store" };

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

export function noContent(): Response {
  return new Response(null, { status: 204, headers: NO_STORE });
}

/** The code is what programs read; the message follows the caller's Accept-Language (English by default). */
function answer(error: ApiError, request?: Request): Response {
  const t = translator(negotiateLocale(request?.headers.get("accept-language")));
  return json(error.toBody(t), error.status, error.headers);
}

/** Every failure as a coded error: itself, an outage as `service_unavailable`, the rest (logged) as `internal_error`. */
export function asApiError(error: unknown, request?: Request): ApiError {
  if (error instanceof ApiError) return error;
  if (isDatabaseUnreachable(error)) return ApiError.unavailable();
  (request ? requestLogger(request.headers) : logger()).error({ error: describeError(error) }, "Unhandled API error");
  return ApiError.of("internal_error");
}

/** Every failure answered from the error-code registry: a coded error as itself, an outage as 503, the rest as 500. */
export function errorResponse(error: unknown, request?: Request): Response {
  return answer(asApiError(error, request), request);
}

/** Every JSON route: errors become the contract's shape, never a stack, SQL or path. */
export function apiRoute<C = unknown>(handler: Handler<C>): Handler<C> {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      return errorResponse(error, request);
    }
  };
}
