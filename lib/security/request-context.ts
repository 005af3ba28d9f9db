import { isIP } from "node:net";
import { env } from "@/lib/env";
import { PEER_ADDRESS_HEADER, PEER_PROOF_HEADER, isPeerProof } from "./peer-proof.mjs";

export { PEER_ADDRESS_HEADER, PEER_PROOF_HEADER };
/** When the peer is unknown (the app was started some other way), everyone shares one conservative bucket. */
export const UNKNOWN_ADDRESS = "unknown";
const MAX_USER_AGENT_LENGTH = 512;

/**
 * `ip` is the full client address, for people (the audit log, the sessions list); `clientKey` is what per-address
 * limits count under. They differ for IPv6, where one subscriber holds a whole prefix and can rotate through it.
 */
export type RequestContext = { ip: string; clientKey: string; userAgent: string | null };

function normalizeAddress(candidate: string | undefined): string | null {
  let address = candidate?.trim() ?? "";
  if (address.startsWith("[") && address.includes("]")) address = address.slice(1, address.indexOf("]"));
  const zone = address.indexOf("%");
  if (zone !== -1) address = address.slice(0, zone);
  const version = isIP(address);
  if (version === 4) return address;
  if (version !== 6) return null;
  const groups = ipv6Groups(address.toLowerCase());
  // IPv4-mapped (`::ffff:a.b.c.d`, also written in hex) is an IPv4 client and shares its IPv4 buckets.
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join(".");
  }
  return address.toLowerCase();
}

/** The eight 16-bit groups of an IPv6 address that isIP already accepted (with `::` and a dotted tail). */
function ipv6Groups(address: string): number[] {
  let text = address;
  const dotted = text.match(/^(.*:)(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const [a, b, c, d] = dotted[2].split(".").map(Number);
    text = `${dotted[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const parse = (part: string | undefined) => (part ? part.split(":").map((group) => parseInt(group, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** IPv4 as it is; IPv6 as its first `prefixLength` bits (`2001:db8:0:1::/64`), so a /64 is one client. */
export function clientKeyFor(address: string, prefixLength = env().RATE_LIMIT_IPV6_PREFIX): string {
  if (isIP(address) !== 6) return address;
  const groups = ipv6Groups(address).map((group, index) => {
    const bitsKept = Math.max(0, Math.min(16, prefixLength - index * 16));
    return bitsKept === 0 ? 0 : group & ((0xffff << (16 - bitsKept)) & 0xffff);
  });
  return `${groups.map((group) => group.toString(16)).join(":")}/${prefixLength}`;
}

/**
 * The socket peer, believed only with the proof of our own server.mjs: started any other way (`next start`),
 * anyone could send the header, so the peer is unknown and everyone shares one bucket.
 */
function peerAddress(headers: Headers): string {
  if (!isPeerProof(headers.get(PEER_PROOF_HEADER))) return UNKNOWN_ADDRESS;
  return normalizeAddress(headers.get(PEER_ADDRESS_HEADER) ?? undefined) ?? UNKNOWN_ADDRESS;
}

/**
 * The client address: the socket peer, or with `AUTH_TRUST_PROXY=n` the n-th entry from the right of
 * X-Forwarded-For (each trusted proxy appends the address it saw). Without that setting the header is ignored,
 * so rotating it changes nothing.
 */
export function clientAddress(headers: Headers, trustedProxies = env().AUTH_TRUST_PROXY ?? 0): string {
  const peer = peerAddress(headers);
  if (trustedProxies <= 0) return peer;
  const chain = (headers.get("x-forwarded-for") ?? "").split(",").filter((entry) => entry.trim() !== "");
  return normalizeAddress(chain[chain.length - trustedProxies]) ?? peer;
}

export function requestContext(headers: Headers): RequestContext {
  const userAgent = headers.get("user-agent");
  const ip = clientAddress(headers);
  return { ip, clientKey: clientKeyFor(ip), userAgent: userAgent ? userAgent.slice(0, MAX_USER_AGENT_LENGTH) : null };
}
