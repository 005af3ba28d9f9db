import { expect, test } from "@playwright/test";
import { createUser, signedInDevice } from "./support/fixtures";

// The e2e server's sudo window outlasts the suite (see playwright.config.ts), so the redirect from an action posted
// outside it is covered by tests/integration/reauthentication.test.ts; this drives the page itself, with JavaScript
// on and off.
test.describe("confirm access (sudo mode)", () => {
  test("asks for the password, says when it is wrong, and goes back to the page that asked", async ({ browser, request }) => {
    const user = await createUser(request, "sudo");
    const { context, page } = await signedInDevice(browser, user);
    await page.goto("/account/confirm?returnTo=%2Faccount");
    await expect(page.getByRole("heading", { name: "Confirm access" })).toBeVisible();

    await page.getByLabel("Password", { exact: true }).fill("certainly not the password");
    await page.getByRole("button", { name: "Confirm" }).click();
    await expect(page.getByLabel("Password", { exact: true })).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByText("Current password is incorrect").first()).toBeVisible();
    await expect(page).toHaveURL(/\/account\/confirm/);

    await page.getByLabel("Password", { exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Confirm" }).click();
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByRole("heading", { name: "Account", exact: true })).toBeVisible();
    await context.close();
  });

  test("never goes back to another site", async ({ browser, request }) => {
    const user = await createUser(request, "sudoaway");
    const { context, page } = await signedInDevice(browser, user);
    await page.goto("/account/confirm?returnTo=%2F%2Fevil.example%2Faccount");
    await page.getByLabel("Password", { exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Confirm" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await context.close();
  });

  test("signed out, it sends the browser to log in first and keeps where it was going", async ({ browser }) => {
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    await page.goto("/account/confirm?returnTo=%2Faccount");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Faccount%2Fconfirm/);
    await context.close();
  });
});
