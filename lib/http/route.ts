import { ApiError } from "./api-error";

type Handler<C> = (request: Request, context: C) => Promise<Response>;

const NO_STORE = { "Cache-Control": "no-store" };

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

export function noContent(): Response {
  return new Response(null, { status: 204, headers: NO_STORE });
}

function isDatabaseUnreachable(error: unknown): boolean {
  const text = `${(error as { code?: unknown })?.code ?? ""} ${(error as Error)?.message ?? ""}`;
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|57P01|57P03|P1001|P1017|Connection terminated|connect timeout|DatabaseNotReachable|Can't reach database|Server has closed the connection/i.test(
    text,
  );
}

export function errorResponse(error: unknown): Response {
  if (error instanceof ApiError) return json(error.toBody(), error.status, error.headers);
  if (isDatabaseUnreachable(error)) {
    const unavailable = ApiError.unavailable();
    return json(unavailable.toBody(), unavailable.status, unavailable.headers);
  }
  console.error("Unhandled API error:", error instanceof Error ? error.message : "unknown error");
  return json({ error: { code: "internal_error", message: "Something went wrong on our side" } }, 500);
}

/** Every JSON route: errors become the contract's shape, never a stack, SQL or path. */
export function apiRoute<C = unknown>(handler: Handler<C>): Handler<C> {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      return errorResponse(error);
    }
  };
}
