import { isDatabaseUnreachable } from "@/lib/db/errors";
import { ApiError } from "./api-error";
import { describeError, logger, requestLogger } from "@/lib/log";

type Handler<C> = (request: Request, context: C) => Promise<Response>;

const NO_STORE = { "Cache-Control": "no-store" };

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

export function noContent(): Response {
  return new Response(null, { status: 204, headers: NO_STORE });
}

export function errorResponse(error: unknown, request?: Request): Response {
  if (error instanceof ApiError) return json(error.toBody(), error.status, error.headers);
  if (isDatabaseUnreachable(error)) {
    const unavailable = ApiError.unavailable();
    return json(unavailable.toBody(), unavailable.status, unavailable.headers);
  }
  (request ? requestLogger(request.headers) : logger()).error({ error: describeError(error) }, "Unhandled API error");
  return json({ error: { code: "internal_error", message: "Something went wrong on our side" } }, 500);
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
