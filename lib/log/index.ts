import type { Logger } from "pino";
import { env } from "@/lib/env";
import { REQUEST_ID_HEADER, sharedLogger } from "./create-logger.mjs";

export { REQUEST_ID_HEADER };

export function logger(): Logger {
  return sharedLogger(env().LOG_LEVEL);
}

/** The logger for one request: every line carries the id server.mjs gave it (also sent as `X-Request-Id`). */
export function requestLogger(headers: Pick<Headers, "get">): Logger {
  const requestId = headers.get(REQUEST_ID_HEADER);
  return requestId ? logger().child({ reqId: requestId }) : logger();
}

/** An error's class and message, never its stack (which can hold SQL, paths or values). */
export function describeError(error: unknown): { name: string; message: string } {
  return error instanceof Error ? { name: error.name, message: error.message } : { name: "Unknown", message: String(error) };
}
