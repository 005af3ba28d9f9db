import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.dirname(new URL(import.meta.url).pathname);
const resolve = {
  alias: [
    { find: /^@\//, replacement: `${root}/` },
    // "server-only" throws outside React Server Components; the modules it guards are tested directly here.
    { find: /^server-only$/, replacement: `${root}/tests/support/empty-module.ts` },
  ],
};

export default defineConfig({
  resolve,
  test: {
    projects: [
      {
        resolve,
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "components/**/*.test.ts", "scripts/**/*.test.ts"],
          environment: "node",
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
        },
      },
    ],
  },
});
