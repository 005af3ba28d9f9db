import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.dirname(new URL(import.meta.url).pathname);
const resolve = {
  alias: [
    { find: /^@\//, replacement: `${root}/` },
    // "server-only" throws outside React Server Components; the modules it guards are tested directly here.
    { find: /^server-only$/, replacement: `${root}/tests/support/empty-module.ts` },
    // next-auth imports these without the extension Node's ESM resolver needs outside Next's bundler.
    { find: /^next\/(server|headers|navigation)$/, replacement: "next/$1.js" },
  ],
};

// Mail printed for want of SMTP_URL and other info lines would bury the test output.
const env = { AUTH_SECRET: "test-secret-that-is-at-least-32-bytes-long", NODE_ENV: "test", LOG_LEVEL: "warn" } as const;
// Every request in an integration file comes from one test address; the per-address limits get their own tests
// (which set the defaults back), so elsewhere they are out of the way.
const integrationEnv = {
  ...env,
  RATE_LIMIT_SIGNUPS_PER_IP: "100000/1h",
  RATE_LIMIT_LOGIN_FAILURES_PER_IP: "100000/15m",
  RATE_LIMIT_TOKEN_REQUESTS_PER_IP: "100000/15m",
} as const;

export default defineConfig({
  resolve,
  test: {
    projects: [
      {
        resolve,
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "i18n/**/*.test.ts", "components/**/*.test.ts", "scripts/**/*.test.ts", "proxy.test.ts"],
          environment: "node",
          env,
        },
      },
      {
        resolve,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          setupFiles: ["tests/support/next-mocks.ts"],
          // Processed by Vite so that the alias above applies to next-auth's own imports.
          server: { deps: { inline: ["next-auth"] } },
          env: integrationEnv,
          // Each file gets its own database; bcrypt at cost 12 is CPU-bound, so two files at a time suit 2 cores.
          maxWorkers: 2,
        },
      },
      {
        resolve,
        test: {
          // Response-time comparisons, run on their own: a bcrypt-heavy neighbour on 2 cores would be the noise.
          name: "timing",
          include: ["tests/timing/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
          setupFiles: ["tests/support/next-mocks.ts"],
          env: integrationEnv,
          fileParallelism: false,
        },
      },
      {
        resolve,
        test: {
          // Real production servers (needs `next build` first) on the PostgreSQL in TEST_DATABASE_URL.
          name: "servers",
          include: ["tests/servers/**/*.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 180_000,
          env,
          fileParallelism: false,
        },
      },
    ],
  },
});
