// The HTTP server for `npm run dev` and `npm start`: Next.js behind a plain node:http server, so that the
// app learns the real socket address of each client, every request gets an id and one JSON log line, and the
// process shuts down gracefully.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { format } from "node:util";
import { LOG_FORMATS, LOG_LEVELS } from "./lib/env/log-settings.mjs";
import { REQUEST_ID_HEADER, sharedLogger } from "./lib/log/create-logger.mjs";
import { PEER_ADDRESS_HEADER, PEER_PROOF_HEADER, installPeerSecret } from "./lib/security/peer-proof.mjs";
import { SHUTDOWN_HOOK } from "./lib/shutdown-hook.mjs";

const SHUTDOWN_GRACE_MS = 10_000;
/**
 * How long an idle keep-alive connection stays open: longer than the idle timeout of the proxies that reuse their
 * connections to the app (60 s for nginx's upstream keepalive and AWS's load balancers). With Node's 5 s, a client
 * or proxy could send its next request on a connection the server was closing at that moment and get a reset
 * (ECONNRESET, once in the Playwright suite); behind a proxy that is a 502.
 */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** During shutdown, connections that finish their last response are closed this often. */
const SHUTDOWN_IDLE_SWEEP_MS = 100;

const dev = process.argv.includes("--dev");
process.env.NODE_ENV ??= dev ? "development" : "production";
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME ?? "0.0.0.0";
const level = process.env.LOG_LEVEL || "info";
if (!LOG_LEVELS.includes(level)) {
  console.error(`Latchkey cannot start: LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}`);
  process.exit(1);
}

const logFormat = process.env.LOG_FORMAT || (dev ? "pretty" : "json");
if (!LOG_FORMATS.includes(logFormat)) {
  console.error(`Latchkey cannot start: LOG_FORMAT must be one of ${LOG_FORMATS.join(", ")}`);
  process.exit(1);
}

const log = sharedLogger(level, logFormat);
// Next.js and libraries write to the console; their lines go through the logger too.
console.log = console.info = (...args) => log.info(format(...args));
console.warn = (...args) => log.warn(format(...args));
console.error = (...args) => log.error(format(...args));
console.debug = (...args) => log.debug(format(...args));

const { default: next } = await import("next");
const app = next({ dev, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

let stopping = false;
const peerSecret = installPeerSecret();
const server = createServer((request, response) => {
  const started = process.hrtime.bigint();
  const requestId = randomUUID();
  // Whatever a client sent under these names is replaced: only the socket says who is connected.
  request.headers[PEER_ADDRESS_HEADER] = request.socket.remoteAddress ?? "";
  request.headers[PEER_PROOF_HEADER] = peerSecret;
  request.headers[REQUEST_ID_HEADER] = requestId;
  response.setHeader(REQUEST_ID_HEADER, requestId);
  response.once("close", () => {
    // The query string is left out: reset and verification links carry their token there.
    log.info({
      reqId: requestId,
      method: request.method,
      path: (request.url ?? "").split("?")[0],
      status: response.statusCode,
      durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
      ...(!response.writableFinished && { aborted: true }),
    });
  });
  // A connection kept alive is not kept past a shutdown: this answer is its last.
  if (stopping) response.setHeader("Connection", "close");
  handle(request, response);
});
server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;

server.listen(port, hostname, () => {
  log.info(`Latchkey ready on http://${hostname === "0.0.0.0" ? "localhost" : hostname}:${port} (${process.env.NODE_ENV})`);
});

async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  log.info(`${signal}: finishing in-flight requests`);
  const force = setTimeout(() => {
    log.error("In-flight requests did not finish in time; exiting");
    process.exit(1);
  }, SHUTDOWN_GRACE_MS);
  force.unref();
  // Kept-alive connections would otherwise hold the shutdown for KEEP_ALIVE_TIMEOUT_MS after their last answer.
  server.closeIdleConnections();
  const sweep = setInterval(() => server.closeIdleConnections(), SHUTDOWN_IDLE_SWEEP_MS);
  await new Promise((resolve) => server.close(resolve));
  clearInterval(sweep);
  await globalThis[SHUTDOWN_HOOK]?.();
  await app.close?.();
  log.info("Stopped cleanly");
  process.exit(0);
}
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => void shutdown(signal));
