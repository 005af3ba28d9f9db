import { describe, expect, it } from "vitest";
import { installPeerSecret } from "./peer-proof.mjs";
import { PEER_ADDRESS_HEADER, PEER_PROOF_HEADER, UNKNOWN_ADDRESS, clientAddress, clientKeyFor } from "./request-context";

const SECRET_KEY = Symbol.for("latchkey.peer-secret");
const secret = installPeerSecret();
const fromServer = (address: string, extra: Record<string, string> = {}) =>
  new Headers({ ...extra, [PEER_ADDRESS_HEADER]: address, [PEER_PROOF_HEADER]: secret });
const headers = (entries: Record<string, string>) => new Headers(entries);

describe("clientAddress", () => {
  it("uses the socket peer and ignores X-Forwarded-For when no proxy is trusted", () => {
    expect(clientAddress(fromServer("203.0.113.7", { "x-forwarded-for": "198.51.100.1" }), 0)).toBe("203.0.113.7");
  });

  it("takes the n-th address from the right of X-Forwarded-For for n trusted proxies", () => {
    const request = fromServer("10.0.0.2", { "x-forwarded-for": "1.1.1.1, 198.51.100.9, 10.0.0.1" });
    expect(clientAddress(request, 1)).toBe("10.0.0.1");
    expect(clientAddress(request, 2)).toBe("198.51.100.9");
  });

  it("falls back to the peer when the chain is shorter than the proxy count or holds junk", () => {
    expect(clientAddress(fromServer("10.0.0.2", { "x-forwarded-for": "x" }), 1)).toBe("10.0.0.2");
    expect(clientAddress(fromServer("10.0.0.2"), 3)).toBe("10.0.0.2");
  });

  it("normalises IPv4-mapped IPv6 (dotted or hex) to IPv4, and bracketed or zoned addresses", () => {
    expect(clientAddress(fromServer("::ffff:127.0.0.1"), 0)).toBe("127.0.0.1");
    expect(clientAddress(fromServer("::FFFF:7f00:1"), 0)).toBe("127.0.0.1");
    expect(clientAddress(fromServer("[2001:DB8::1]"), 0)).toBe("2001:db8::1");
    expect(clientAddress(fromServer("fe80::1%eth0"), 0)).toBe("fe80::1");
  });

  it("shares one bucket when the peer is unknown or forged as something that is not an address", () => {
    expect(clientAddress(headers({}), 0)).toBe(UNKNOWN_ADDRESS);
    expect(clientAddress(fromServer("evil, 1.2.3.4"), 0)).toBe(UNKNOWN_ADDRESS);
  });

  it("ignores a peer header that a client wrote itself: without our server's proof, or with a wrong one", () => {
    expect(clientAddress(headers({ [PEER_ADDRESS_HEADER]: "203.0.113.7" }), 0)).toBe(UNKNOWN_ADDRESS);
    expect(clientAddress(headers({ [PEER_ADDRESS_HEADER]: "203.0.113.7", [PEER_PROOF_HEADER]: "guess" }), 0)).toBe(UNKNOWN_ADDRESS);
    expect(clientAddress(headers({ [PEER_ADDRESS_HEADER]: "203.0.113.7", [PEER_PROOF_HEADER]: `${secret}x` }), 0)).toBe(UNKNOWN_ADDRESS);
  });

  it("trusts no peer header at all when the app was not started by server.mjs (no secret in the process)", () => {
    const globals = globalThis as Record<symbol, unknown>;
    const installed = globals[SECRET_KEY];
    delete globals[SECRET_KEY];
    try {
      expect(clientAddress(headers({ [PEER_ADDRESS_HEADER]: "203.0.113.7", [PEER_PROOF_HEADER]: "" }), 0)).toBe(UNKNOWN_ADDRESS);
      expect(clientAddress(headers({ [PEER_ADDRESS_HEADER]: "203.0.113.7", [PEER_PROOF_HEADER]: String(installed) }), 0)).toBe(UNKNOWN_ADDRESS);
    } finally {
      globals[SECRET_KEY] = installed;
    }
  });
});

describe("clientKeyFor", () => {
  it.each([
    ["203.0.113.7", 64, "203.0.113.7"],
    [UNKNOWN_ADDRESS, 64, UNKNOWN_ADDRESS],
    ["2001:db8:1:2:3:4:5:6", 64, "2001:db8:1:2:0:0:0:0/64"],
    ["2001:db8:1:2::ffff", 64, "2001:db8:1:2:0:0:0:0/64"],
    ["2001:db8::1", 64, "2001:db8:0:0:0:0:0:0/64"],
    ["2001:db8:1:2:3:4:5:6", 56, "2001:db8:1:0:0:0:0:0/56"],
    ["2001:db8:1:2ff:3:4:5:6", 56, "2001:db8:1:200:0:0:0:0/56"],
    ["2001:db8:1:2:3:4:5:6", 128, "2001:db8:1:2:3:4:5:6/128"],
    ["64:ff9b::192.0.2.1", 112, "64:ff9b:0:0:0:0:c000:0/112"],
    ["::1", 64, "0:0:0:0:0:0:0:0/64"],
  ])("keys %s with prefix /%i as %s", (address, prefix, expected) => {
    expect(clientKeyFor(address, prefix)).toBe(expected);
  });

  it("gives every address of one /64 the same key, and a neighbouring /64 another", () => {
    const keys = new Set(Array.from({ length: 60 }, (_, index) => clientKeyFor(`2001:db8:aa:bb:${index.toString(16)}::${index + 1}`, 64)));
    expect(keys.size).toBe(1);
    expect(clientKeyFor("2001:db8:aa:bc::1", 64)).not.toBe([...keys][0]);
  });
});
