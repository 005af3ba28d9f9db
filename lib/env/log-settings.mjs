// The logger's settings, plain JavaScript so that server.mjs (which creates the logger before the app loads) and
// lib/env validate against the same lists.

/** pino's levels; "silent" logs nothing. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/** "pretty": readable lines for people (development's default); "json": one object per line for machines. */
export const LOG_FORMATS = ["json", "pretty"];
