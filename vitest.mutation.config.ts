import { defineConfig } from "vitest/config";
import base from "./vitest.config";

/**
 * The unit tests next to the security core, for `npm run test:mutation` (stryker.config.mjs). Stryker's vitest
 * runner takes one project, not the workspace of vitest.config.ts, so this borrows the unit project's aliases and
 * environment. Integration tests are too slow to run once per mutant on 2 cores.
 */
const unit = base.test!.projects!.find((project) => typeof project === "object" && "test" in project && project.test?.name === "unit") as {
  resolve: object;
  test: { env: Record<string, string> };
};

export const MUTATION_TESTS = [
  "lib/crypto/password.test.ts",
  "lib/crypto/access-token.test.ts",
  "lib/crypto/api-key.test.ts",
  "lib/crypto/totp.test.ts",
  "lib/validations/fields.test.ts",
  "lib/validations/auth.test.ts",
  "lib/security/redirect-target.test.ts",
  "lib/security/recent-authentication.test.ts",
  "lib/security/rate-limit.test.ts",
  "lib/security/login-throttle.test.ts",
  "lib/services/sessions.test.ts",
];

export default defineConfig({
  resolve: unit.resolve,
  test: { include: MUTATION_TESTS, environment: "node", env: unit.test.env, testTimeout: 60_000, hookTimeout: 60_000 },
});
