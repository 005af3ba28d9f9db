import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { proxy } from "./proxy";

const call = (url: string, cookie?: string) => proxy(new NextRequest(url, { headers: cookie ? { cookie } : {} }));

describe("proxy", () => {
  it("sends HSTS for a year over https only", () => {
    expect(call("https://auth.example/login").headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    expect(call("http://localhost:3000/login").headers.get("strict-transport-security")).toBeNull();
  });

  it("gives every response a fresh nonce and passes it on to the render", () => {
    const first = call("http://localhost:3000/login");
    const second = call("http://localhost:3000/login");
    const nonce = (response: Response) => /'nonce-([^']+)'/.exec(response.headers.get("content-security-policy") ?? "")?.[1];
    expect(nonce(first)).toBeTruthy();
    expect(nonce(first)).not.toBe(nonce(second));
    // NextResponse.next({ request: { headers } }) forwards overridden request headers under this prefix.
    expect(first.headers.get("x-middleware-request-content-security-policy")).toContain(`'nonce-${nonce(first)}'`);
  });

  it("keeps token-bearing pages from leaking their URL to other origins in Referer", () => {
    expect(call("http://localhost:3000/reset-password?token=abc").headers.get("referrer-policy")).toBe("same-origin");
    expect(call("http://localhost:3000/verify-email?token=abc").headers.get("referrer-policy")).toBe("same-origin");
    expect(call("http://localhost:3000/login").headers.get("referrer-policy")).toBeNull();
  });

  it("redirects signed-out visitors of protected pages to login with the page as callback, and nothing else", () => {
    const redirected = call("http://localhost:3000/admin/audit?type=signup");
    expect(redirected.status).toBe(307);
    expect(redirected.headers.get("location")).toBe("http://localhost:3000/login?callbackUrl=%2Fadmin%2Faudit%3Ftype%3Dsignup");
    expect(call("http://localhost:3000/administrator").status).toBe(200);
    expect(call("http://localhost:3000/dashboard", "authjs.session-token=x").status).toBe(200);
  });
});
