// The HTTP server for `npm run dev` and `npm start`: Next.js behind a plain node:http server, so that the
// app learns the real socket address of each client and shuts down gracefully.
import { createServer } from "node:http";

const PEER_ADDRESS_HEADER = "x-latchkey-peer";
const SHUTDOWN_HOOK = Symbol.for("latchkey.shutdown");
const SHUTDOWN_GRACE_MS = 10_000;

const dev = process.argv.includes("--dev");
process.env.NODE_ENV ??= dev ? "development" : "production";
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME ?? "0.0.0.0";

const { default: next } = await import("next");
const app = next({ dev, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((request, response) => {
  // Whatever a client sent under this name is replaced: only the socket says who is connected.
  request.headers[PEER_ADDRESS_HEADER] = request.socket.remoteAddress ?? "";
  handle(request, response);
});

server.listen(port, hostname, () => {
  console.log(`> Latchkey ready on http://${hostname === "0.0.0.0" ? "localhost" : hostname}:${port} (${process.env.NODE_ENV})`);
});

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`> ${signal}: finishing in-flight requests`);
  const force = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS);
  force.unref();
  server.closeIdleConnections();
  await new Promise((resolve) => server.close(resolve));
  await globalThis[SHUTDOWN_HOOK]?.();
  await app.close?.();
  process.exit(0);
}
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => void shutdown(signal));
