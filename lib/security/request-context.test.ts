import { describe, expect, it } from "vitest";
import { PEER_ADDRESS_HEADER, UNKNOWN_ADDRESS, clientAddress } from "./request-context";

const headers = (entries: Record<string, string>) => new Headers(entries);

describe("clientAddress", () => {
  it("uses the socket peer and ignores X-Forwarded-For when no proxy is trusted", () => {
    const request = headers({ [PEER_ADDRESS_HEADER]: "203.0.113.7", "x-forwarded-for": "198.51.100.1" });
    expect(clientAddress(request, 0)).toBe("203.0.113.7");
  });

  it("takes the n-th address from the right of X-Forwarded-For for n trusted proxies", () => {
    const request = headers({ [PEER_ADDRESS_HEADER]: "10.0.0.2", "x-forwarded-for": "1.1.1.1, 198.51.100.9, 10.0.0.1" });
    expect(clientAddress(request, 1)).toBe("10.0.0.1");
    expect(clientAddress(request, 2)).toBe("198.51.100.9");
  });

  it("falls back to the peer when the chain is shorter than the proxy count or holds junk", () => {
    expect(clientAddress(headers({ [PEER_ADDRESS_HEADER]: "10.0.0.2", "x-forwarded-for": "x" }), 1)).toBe("10.0.0.2");
    expect(clientAddress(headers({ [PEER_ADDRESS_HEADER]: "10.0.0.2" }), 3)).toBe("10.0.0.2");
  });

  it("normalises IPv4-mapped IPv6 and bracketed addresses", () => {
    expect(clientAddress(headers({ [PEER_ADDRESS_HEADER]: "::ffff:127.0.0.1" }), 0)).toBe("127.0.0.1");
    expect(clientAddress(headers({ [PEER_ADDRESS_HEADER]: "[2001:DB8::1]" }), 0)).toBe("2001:db8::1");
  });

  it("shares one bucket when the peer is unknown or forged as something that is not an address", () => {
    expect(clientAddress(headers({}), 0)).toBe(UNKNOWN_ADDRESS);
    expect(clientAddress(headers({ [PEER_ADDRESS_HEADER]: "evil, 1.2.3.4" }), 0)).toBe(UNKNOWN_ADDRESS);
  });
});
