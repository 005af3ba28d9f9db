import { expect, test, type Page } from "@playwright/test";
import { totpCode, totpStep } from "../lib/crypto/totp";
import { ADMIN } from "../playwright.config";
import { PASSWORD, logIn, logOut, signInAs } from "../e2e/support/fixtures";

const IMAGES = "docs/images";

async function capture(page: Page, name: string, fullPage = true) {
  await page.screenshot({ path: `${IMAGES}/${name}.png`, fullPage, animations: "disabled", caret: "hide" });
}

test("the pictures of README.md and docs/", async ({ page, request }) => {
  test.setTimeout(180_000);
  await page.goto("/signup");
  await capture(page, "signup");
  await page.goto("/login");
  await capture(page, "login");

  // Fixed names, so the pictures don't change from run to run: the database is fresh each time.
  const user = { username: "ada", email: "ada@example.com", password: PASSWORD };
  expect((await request.post("/api/v1/auth/signup", { data: user })).status()).toBe(201);
  await signInAs(page, user);
  await page.goto("/account");
  await page.getByRole("button", { name: "Enable two-factor authentication" }).click();
  const secret = ((await page.getByLabel("Authenticator key", { exact: true }).textContent()) ?? "").trim();
  await page.getByLabel("Authentication code").fill(totpCode(secret, totpStep(Date.now() - 30_000)));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("list", { name: "Recovery codes" })).toBeVisible();
  await page.goto("/account");
  await capture(page, "account");
  await logOut(page);
  await logIn(page, user.username, user.password);
  await expect(page).toHaveURL(/\/login\/verify/);
  await capture(page, "two-factor-prompt");

  await page.context().clearCookies();
  await logIn(page, ADMIN.email, ADMIN.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto("/admin");
  await capture(page, "admin-users");
  await page.goto("/admin/overview");
  await capture(page, "admin-overview");
  await page.goto("/docs/api");
  await expect(page.getByText("POST", { exact: true }).first()).toBeVisible();
  await capture(page, "api-docs", false);
});
