import { isIP } from "node:net";
import { env } from "@/lib/env";

/**
 * Our server (server.mjs) writes the socket's remote address into this header on every request, replacing
 * whatever a client sent under that name; it is the only client address we trust without configuration.
 */
export const PEER_ADDRESS_HEADER = "x-latchkey-peer";
/** When the peer is unknown (the app was started some other way), everyone shares one conservative bucket. */
export const UNKNOWN_ADDRESS = "unknown";
const MAX_USER_AGENT_LENGTH = 512;

export type RequestContext = { ip: string; userAgent: string | null };

function normalizeAddress(candidate: string | undefined): string | null {
  let address = candidate?.trim() ?? "";
  if (address.startsWith("[") && address.includes("]")) address = address.slice(1, address.indexOf("]"));
  if (address.startsWith("::ffff:") && isIP(address.slice(7)) === 4) address = address.slice(7);
  return isIP(address) ? address.toLowerCase() : null;
}

/**
 * The client address: the socket peer, or with `AUTH_TRUST_PROXY=n` the n-th entry from the right of
 * X-Forwarded-For (each trusted proxy appends the address it saw). Without that setting the header is ignored,
 * so rotating it changes nothing.
 */
export function clientAddress(headers: Headers, trustedProxies = env().AUTH_TRUST_PROXY ?? 0): string {
  const peer = normalizeAddress(headers.get(PEER_ADDRESS_HEADER) ?? undefined) ?? UNKNOWN_ADDRESS;
  if (trustedProxies <= 0) return peer;
  const chain = (headers.get("x-forwarded-for") ?? "").split(",").filter((entry) => entry.trim() !== "");
  return normalizeAddress(chain[chain.length - trustedProxies]) ?? peer;
}

export function requestContext(headers: Headers): RequestContext {
  const userAgent = headers.get("user-agent");
  return { ip: clientAddress(headers), userAgent: userAgent ? userAgent.slice(0, MAX_USER_AGENT_LENGTH) : null };
}
