import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

/**
 * `npm run screenshots`: the pictures in README.md and docs/, taken from a production build with seeded data, so
 * they never go stale. Same server and browser as the browser tests; its own test folder and one project.
 */
const chromium = base.projects?.find((project) => project.name === "js")?.use ?? {};

export default defineConfig({
  ...base,
  testDir: "screenshots",
  fullyParallel: false,
  workers: 1,
  reporter: [["list"]],
  projects: [{ name: "screenshots", use: { ...chromium, viewport: { width: 1280, height: 800 } } }],
});
