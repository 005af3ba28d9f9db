import { expect, test } from "@playwright/test";
import { createUser, signedInDevice } from "./support/fixtures";

const NEW_PASSWORD = "a brand new passphrase nobody guesses";

test.describe("account", () => {
  test("changing the password keeps this browser signed in and signs out the others", async ({ browser, request }) => {
    const user = await createUser(request, "change");
    const { context: other, page: otherPage } = await signedInDevice(browser, user);
    const { context, page } = await signedInDevice(browser, user);
    await page.goto("/account");
    await page.getByLabel("Current password").fill("not my current password");
    await page.getByLabel("New password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByLabel("Current password")).toHaveAttribute("aria-invalid", "true");

    await page.getByLabel("Current password").fill(user.password);
    await page.getByLabel("New password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page).toHaveURL(/\/account\?notice=password-changed$/);
    await expect(page.getByRole("main").getByRole("status")).toContainText("Password changed");

    await page.goto("/dashboard");
    await expect(page.getByText(`Signed in as ${user.username}`)).toBeVisible();
    await otherPage.goto("/dashboard");
    await expect(otherPage).toHaveURL(/\/login\?callbackUrl=%2Fdashboard$/);

    const oldToken = await request.post("/api/v1/auth/token", { data: { identifier: user.email, password: user.password } });
    expect(oldToken.status()).toBe(401);
    const newToken = await request.post("/api/v1/auth/token", { data: { identifier: user.email, password: NEW_PASSWORD } });
    expect(newToken.status()).toBe(200);
    await context.close();
    await other.close();
  });

  test("log out everywhere ends every browser session and access token", async ({ browser, request }) => {
    const user = await createUser(request, "everywhere");
    const token = (await (await request.post("/api/v1/auth/token", { data: { identifier: user.email, password: user.password } })).json()).access_token;
    const { context: other, page: otherPage } = await signedInDevice(browser, user);
    const { context, page } = await signedInDevice(browser, user);
    await page.goto("/account");
    await page.getByRole("button", { name: "Log out everywhere" }).click();
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByText("signed out on every device")).toBeVisible();

    await otherPage.goto("/dashboard");
    await expect(otherPage).toHaveURL(/\/login\?callbackUrl=%2Fdashboard$/);
    const me = await request.get("/api/v1/me", { headers: { Authorization: `Bearer ${token}` } });
    expect(me.status()).toBe(401);
    await context.close();
    await other.close();
  });
});
