import { existsSync } from "node:fs";
import { chromium as playwrightChromium, defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3210);
export const BASE_URL = `http://localhost:${PORT}`;
export const MAIL_DIR = ".data/e2e-mail";
const SMTP_PORT = Number(process.env.E2E_SMTP_PORT ?? 3299);
/** The test identity provider (oidc-provider) that e2e/support/start-server.mjs runs for "Continue with Test IdP". */
export const IDP = { issuer: `http://localhost:${Number(process.env.E2E_OIDC_PORT ?? 3298)}`, name: "Test IdP" };
export const ADMIN = { email: "admin@example.com", username: "admin", password: "orchid lantern quietly ferries north" };
// Separate from the dev database; wiped on each run. `npm test` sets E2E_DATABASE_URL to a new database on the
// TEST_DATABASE_URL server when there is one (as in CI), so the browser tests run on PostgreSQL there.
const DATABASE_URL = process.env.E2E_DATABASE_URL ?? "pglite:./.data/e2e-pglite";

/**
 * `CHROMIUM_PATH` when set; else Playwright's own Chromium when `npx playwright install chromium` has put it in the
 * cache (the usual way on macOS); else the system's `/usr/bin/chromium` (Debian's package, as in CI).
 */
function chromiumExecutable(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  let bundled = "";
  try {
    bundled = playwrightChromium.executablePath();
  } catch {}
  return bundled && existsSync(bundled) ? undefined : "/usr/bin/chromium";
}

const chromium = {
  ...devices["Desktop Chrome"],
  launchOptions: {
    executablePath: chromiumExecutable(),
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  },
};

export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  // A guard against hangs, not a speed goal (those live in npm run bench): on a busy 2-core machine a flow with
  // several cost-12 bcrypt checks and two browsers took 23-30 s, too close to Playwright's default of 30.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: process.env.CI ? 2 : undefined,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: [
    ["list"],
    ["json", { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? ".data/test-reports/e2e.json" }],
    ...(process.env.CI ? [] : [["html", { open: "never" }] as const]),
  ],
  use: { baseURL: BASE_URL, trace: "retain-on-failure" },
  projects: [
    { name: "setup", testMatch: /.*\.setup\.ts/, use: chromium },
    { name: "js", use: { ...chromium, javaScriptEnabled: true }, dependencies: ["setup"], testIgnore: /.*\.setup\.ts/ },
    { name: "no-js", use: { ...chromium, javaScriptEnabled: false }, dependencies: ["setup"], testIgnore: /.*\.setup\.ts/ },
  ],
  webServer: {
    command: "node e2e/support/start-server.mjs",
    url: `${BASE_URL}/api/health`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      PORT: String(PORT),
      DATABASE_URL,
      AUTH_SECRET: "e2e-secret-that-is-long-enough-for-production-use",
      AUTH_URL: BASE_URL,
      // Every browser test comes from 127.0.0.1: per-address limits are attacked in the integration tests.
      RATE_LIMIT_SIGNUPS_PER_IP: "10000/1h",
      RATE_LIMIT_LOGIN_FAILURES_PER_IP: "10000/15m",
      // The stored admin and user sessions are signed in once at setup and must stay inside sudo mode for the whole run;
      // its expiry is tested in tests/integration/reauthentication.test.ts.
      AUTH_SUDO_WINDOW: "2h",
      AUTH_OIDC_ISSUER: IDP.issuer,
      AUTH_OIDC_CLIENT_ID: "latchkey-e2e",
      AUTH_OIDC_CLIENT_SECRET: "e2e-client-secret-long-enough-to-be-real",
      AUTH_OIDC_NAME: IDP.name,
      E2E_MAIL_DIR: MAIL_DIR,
      E2E_SMTP_PORT: String(SMTP_PORT),
      E2E_ADMIN_EMAIL: ADMIN.email,
      E2E_ADMIN_USERNAME: ADMIN.username,
      E2E_ADMIN_PASSWORD: ADMIN.password,
    },
  },
});
