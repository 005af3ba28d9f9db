export async function register() {
  // Must stay a literal check: Next inlines it at build time, which keeps the Node-only start-up code out of the
  // edge bundle. This is the one read of process.env outside lib/env.
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startServer } = await import("@/lib/server-start");
    await startServer();
  }
}
