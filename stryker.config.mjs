// @ts-check
/**
 * Mutation testing of the security core: `npm run test:mutation` (not part of `npm test`; CPU-heavy, run it under
 * `flock /tmp/latchkey-heavy.lock` on a shared machine). Each mutant of these files must make a unit test next to
 * it fail; the report lands in reports/mutation/ (HTML and JSON).
 * @type {import("@stryker-mutator/api/core").PartialStrykerOptions}
 */
const config = {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts", related: false },
  mutate: [
    "lib/crypto/password.ts",
    "lib/validations/fields.ts",
    "lib/crypto/access-token.ts",
    "lib/crypto/api-key.ts",
    "lib/crypto/totp.ts",
    "lib/security/redirect-target.ts",
    "lib/security/recent-authentication.ts",
    "lib/security/rate-limit.ts",
    "lib/security/login-throttle.ts",
    "lib/services/sessions.ts",
  ],
  coverageAnalysis: "perTest",
  concurrency: 2,
  timeoutMS: 60_000,
  reporters: ["html", "json", "clear-text", "progress"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  tempDirName: ".data/stryker-tmp",
  cleanTempDir: true,
  thresholds: { high: 90, low: 85, break: null },
  ignoreStatic: true,
};

export default config;
