// Shared by server.mjs (which starts before Next.js, in the same process) and the app: the socket address travels
// in a request header, and a per-process secret beside it proves that our server, not a client, wrote it.
import { randomBytes, timingSafeEqual } from "node:crypto";

export const PEER_ADDRESS_HEADER = "x-latchkey-peer";
export const PEER_PROOF_HEADER = "x-latchkey-peer-proof";
const PEER_SECRET_KEY = Symbol.for("latchkey.peer-secret");

/** Creates the secret once per process; whoever owns the sockets calls it and sends the result with every request. */
export function installPeerSecret() {
  globalThis[PEER_SECRET_KEY] ??= randomBytes(32).toString("base64url");
  return globalThis[PEER_SECRET_KEY];
}

/** False whenever no secret was installed (the app was started by `next start` or anything else but server.mjs). */
export function isPeerProof(candidate) {
  const secret = globalThis[PEER_SECRET_KEY];
  if (typeof secret !== "string" || typeof candidate !== "string") return false;
  const expected = Buffer.from(secret);
  const given = Buffer.from(candidate);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
