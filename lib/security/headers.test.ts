import { describe, expect, it } from "vitest";
import { createNonce, pageContentSecurityPolicy } from "./headers";

describe("page Content-Security-Policy", () => {
  it("allows scripts only by nonce, never inline or eval in production, and forbids framing", () => {
    const policy = pageContentSecurityPolicy("abc123", { development: false, https: false });
    const scripts = policy.split("; ").find((directive) => directive.startsWith("script-src"));
    expect(scripts).toBe("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(policy).not.toContain("unsafe-inline");
    expect(policy).not.toContain("unsafe-eval");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toContain("upgrade-insecure-requests");
  });

  it("adds eval and inline styles only in development, and upgrades requests only over https", () => {
    const development = pageContentSecurityPolicy("n", { development: true, https: false });
    expect(development).toContain("'unsafe-eval'");
    expect(development).toContain("style-src 'self' 'unsafe-inline'");
    expect(development).toMatch(/script-src [^;]*'nonce-n'/);
    expect(development).not.toMatch(/script-src [^;]*unsafe-inline/);
    expect(pageContentSecurityPolicy("n", { development: false, https: true })).toContain("upgrade-insecure-requests");
    expect(pageContentSecurityPolicy("n", { development: false, https: false, formTargets: ["https://idp.example"] })).toContain(
      "form-action 'self' https://idp.example;",
    );
    expect(pageContentSecurityPolicy("n", { development: false, https: false, imageSources: ["https://cdn.example"] })).toContain(
      "img-src 'self' data: blob: https://cdn.example;",
    );
  });

  it("makes a fresh 128-bit nonce each time", () => {
    const nonces = new Set(Array.from({ length: 100 }, createNonce));
    expect(nonces.size).toBe(100);
    expect(Buffer.from(createNonce(), "base64")).toHaveLength(16);
  });
});
