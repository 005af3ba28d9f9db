// The logger's one definition, plain JavaScript so that server.mjs (which starts before Next.js) and the app
// share it: one JSON line per event on stdout, level from LOG_LEVEL.
import pino from "pino";
import { prettyDestination } from "./pretty.mjs";

export const REQUEST_ID_HEADER = "x-request-id";
const LOGGER_KEY = Symbol.for("latchkey.logger");

// Whatever a caller passes, these fields never reach a log line: the code logs none of them on purpose, this is
// the net under it.
const REDACTED_PATHS = [
  "password",
  "newPassword",
  "currentPassword",
  "token",
  "key",
  "secret",
  "authorization",
  "cookie",
  "headers.authorization",
  "headers.cookie",
  "*.password",
  "*.token",
  "*.secret",
];

/** `destination` defaults to stdout (tests pass a stream to read the lines back). */
export function createLogger(level = "info", destination = undefined) {
  return pino(
    {
      level,
      base: { service: "latchkey" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    },
    destination,
  );
}

/**
 * The process's one logger: server.mjs creates it first; a build, script or test gets one on first use. `format`
 * "pretty" writes readable lines (development's default), "json" one JSON object per line (everywhere else).
 */
export function sharedLogger(level, format = "json") {
  globalThis[LOGGER_KEY] ??= createLogger(level, format === "pretty" ? prettyDestination() : undefined);
  return globalThis[LOGGER_KEY];
}
