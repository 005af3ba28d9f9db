import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProductionServer, type RunningServer } from "../support/servers";

// APP_NAME, APP_LOGO_URL and APP_ACCENT_COLOR on a production build: the pages carry the name, the logo and the colour,
// and the CSP lets the logo's origin in. (The mails: tests/integration/branding.test.ts.)

const BRAND = { APP_NAME: "Acme ID", APP_LOGO_URL: "https://cdn.acme.example/logo.svg", APP_ACCENT_COLOR: "#0f766e" };

let folder: string;
let server: RunningServer;
beforeAll(async () => {
  folder = mkdtempSync(path.join(tmpdir(), "latchkey-brand-"));
  server = await startProductionServer(3261, { AUTH_SECRET: "branding-test-secret-that-is-long-enough", LOG_LEVEL: "warn", DATABASE_URL: `pglite:${folder}`, ...BRAND });
});
afterAll(async () => {
  await server?.stop();
  rmSync(folder, { recursive: true, force: true });
});

describe("another product's name, logo and colour", () => {
  it("are what /login shows: title, header, heading and logo, with no trace of Latchkey", async () => {
    const response = await fetch(`${server.url}/login`);
    const html = await response.text();
    expect(html).toContain("<title>Log in · Acme ID</title>");
    expect(html).toMatch(/<h[1-3][^>]*>Log in to Acme ID<\/h[1-3]>/);
    expect(html).toContain('src="https://cdn.acme.example/logo.svg"');
    expect(html).toContain('href="/brand.css"');
    expect(html).not.toContain("Latchkey");
    const images = response.headers.get("content-security-policy")?.split("; ").find((directive) => directive.startsWith("img-src"));
    expect(images).toBe("img-src 'self' data: blob: https://cdn.acme.example");
  });

  it("recolour the buttons and links through /brand.css", async () => {
    const response = await fetch(`${server.url}/brand.css`);
    expect(response.headers.get("content-type")).toContain("text/css");
    expect(await response.text()).toContain("--color-indigo-600: #0f766e;");
  });
});
