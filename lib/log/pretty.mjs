// Development's log lines, for people: `12:04:05.123 INFO  GET /login 200 12.3ms` instead of a JSON object.
// Production keeps pino's JSON for machines. Plain JavaScript, like create-logger.mjs, for server.mjs.
const COLOURS = { trace: 90, debug: 36, info: 32, warn: 33, error: 31, fatal: 35 };
const OMITTED = new Set(["level", "time", "msg", "service", "pid", "hostname"]);
const REQUEST_FIELDS = ["method", "path", "status", "durationMs", "reqId", "aborted"];

function paint(colour, text, enabled) {
  return enabled ? `\u001b[${colour}m${text}\u001b[0m` : text;
}

function fieldText(value) {
  return typeof value === "string" && !/\s/.test(value) ? value : JSON.stringify(value);
}

/** One JSON line as pino writes it, as one readable line (and an error's stack, when pino logged one, below it). */
export function prettyLine(jsonLine, colour = false) {
  let entry;
  try {
    entry = JSON.parse(jsonLine);
  } catch {
    return jsonLine.trimEnd();
  }
  const time = typeof entry.time === "string" ? entry.time.slice(11, 23) : "";
  const level = String(entry.level ?? "info");
  const isRequest = typeof entry.method === "string" && typeof entry.status === "number";
  const head = isRequest
    ? `${entry.method} ${entry.path} ${paint(entry.status >= 500 ? 31 : entry.status >= 400 ? 33 : 32, entry.status, colour)} ${entry.durationMs}ms${entry.aborted ? " (aborted)" : ""}`
    : String(entry.msg ?? "");
  const rest = Object.entries(entry)
    .filter(([key]) => !OMITTED.has(key) && !(isRequest && REQUEST_FIELDS.includes(key)) && key !== "err")
    .map(([key, value]) => `${paint(90, `${key}=`, colour)}${fieldText(value)}`);
  const line = [paint(90, time, colour), paint(COLOURS[level] ?? 37, level.toUpperCase().padEnd(5), colour), head, ...rest]
    .filter(Boolean)
    .join(" ");
  return entry.err?.stack ? `${line}\n${entry.err.stack}` : line;
}

/** A pino destination that writes pretty lines to `output` (coloured when it is a terminal). */
export function prettyDestination(output = process.stdout, colour = Boolean(output.isTTY)) {
  return { write: (chunk) => output.write(`${prettyLine(String(chunk), colour)}\n`) };
}
