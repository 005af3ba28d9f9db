// Shared by server.mjs (plain Node, no TypeScript) and lib/server-start.ts: server.mjs calls the hook after the last
// in-flight request, so the database closes cleanly (PGlite flushes).
export const SHUTDOWN_HOOK = Symbol.for("latchkey.shutdown");
