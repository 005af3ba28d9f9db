import { expect, test } from "@playwright/test";
import { BASE_URL } from "../playwright.config";
import { createUser, deliveredMail, formAlert, linkIn, logIn, signInAs, signedInDevice, uniqueUser } from "./support/fixtures";

const NEW_PASSWORD = "a sturdy new passphrase from the mail";

test.describe("password reset by mail", () => {
  test("forgot → mail → reset: the old password and every session end, the new password works", async ({
    page,
    browser,
    request,
  }) => {
    const user = await createUser(request, "reset");
    const device = await signedInDevice(browser, user);

    await page.goto("/login");
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await expect(page).toHaveURL(/\/forgot-password$/);
    await page.getByLabel("Email").fill(user.email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect(page.getByText("If an account uses that address")).toBeVisible();

    const mail = await deliveredMail(user.email, /Reset your password/);
    const link = linkIn(mail, "/reset-password");
    expect(link.startsWith(`${BASE_URL}/reset-password?token=`)).toBe(true);
    const response = await page.goto(link);
    expect(response?.headers()["referrer-policy"]).toBe("same-origin");

    await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel("Confirm new password").fill(`${NEW_PASSWORD} typo`);
    await page.getByRole("button", { name: "Reset password" }).click();
    const confirm = page.getByLabel("Confirm new password");
    await expect(confirm).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByText("The two passwords don't match")).toBeVisible();

    await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await confirm.fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Reset password" }).click();
    await expect(page.getByRole("heading", { name: "Your password has been reset" })).toBeVisible();
    // Not signed in by the reset.
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/login\?callbackUrl=/);

    await device.page.goto("/dashboard");
    await expect(device.page).toHaveURL(/\/login\?callbackUrl=/);
    await device.context.close();

    await deliveredMail(user.email, /Your password was changed/);
    await logIn(page, user.username, user.password);
    await expect(formAlert(page)).toHaveText("Invalid email/username or password");
    await signInAs(page, { ...user, password: NEW_PASSWORD });

    await page.goto(link);
    await expect(page.getByText("This reset link is invalid, was already used, or has expired.")).toBeVisible();
  });

  test("an unknown address gets the same confirmation", async ({ page }) => {
    await page.goto("/forgot-password");
    await page.getByLabel("Email").fill(`nobody.${Date.now()}@example.com`);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect(page.getByText("If an account uses that address")).toBeVisible();
  });
});

test("the development outbox does not exist in a production build", async ({ request }) => {
  expect((await request.get("/dev/outbox")).status()).toBe(404);
});

test.describe("email verification", () => {
  test("signup mails a link whose button confirms the address (opening it alone changes nothing), and /account shows it", async ({ page, request }) => {
    const user = uniqueUser("verify");
    await page.goto("/signup");
    await page.getByLabel("Username").fill(user.username);
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password", { exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await page.goto("/account");
    await expect(page.getByText("(not confirmed yet)")).toBeVisible();

    const link = linkIn(await deliveredMail(user.email, /Confirm your email address/), "/verify-email");
    // A mail scanner fetches the link, and so does the page before anyone clicks: neither confirms anything.
    expect((await request.get(link)).status()).toBe(200);
    await page.goto(link);
    await expect(page.getByRole("button", { name: "Confirm email address" })).toBeVisible();
    await page.goto("/account");
    await expect(page.getByText("(not confirmed yet)")).toBeVisible();

    await page.goto(link);
    await page.getByRole("button", { name: "Confirm email address" }).click();
    await expect(page.getByRole("heading", { name: "Email address confirmed" })).toBeVisible();
    await page.goto("/account");
    await expect(page.getByText("(confirmed)")).toBeVisible();

    await page.goto(link);
    await expect(page.getByText(/invalid, was already used, or has expired/)).toBeVisible();
  });
});

test.describe("account changes", () => {
  test("change email: the new address is confirmed by its link, the old one is told", async ({ page, request }) => {
    const user = await createUser(request, "moving");
    const newEmail = `moved.${Date.now()}.${Math.random().toString(36).slice(2, 7)}@example.com`;
    await signInAs(page, user);
    await page.goto("/account");
    await page.getByLabel("New email address").fill(newEmail);
    await page.getByLabel("Confirm with your password").fill(user.password);
    await page.getByRole("button", { name: "Change email" }).click();
    await expect(page.getByText(`We sent a link to ${newEmail}`)).toBeVisible();

    const link = linkIn(await deliveredMail(newEmail, /Confirm your new email/), "/verify-email");
    expect((await request.get(link)).status()).toBe(200);
    await page.goto("/account");
    await expect(page.getByText(newEmail)).toHaveCount(0);
    await page.goto(link);
    await page.getByRole("button", { name: "Confirm email address" }).click();
    await expect(page.getByRole("heading", { name: "Email address changed" })).toBeVisible();
    await deliveredMail(user.email, /Your email address was changed/);
    await page.goto("/account");
    await expect(page.getByText(newEmail)).toBeVisible();
  });

  test("delete account: needs the password, then the account is gone", async ({ page, request }) => {
    const user = await createUser(request, "deleting");
    await signInAs(page, user);
    await page.goto("/account");
    await page.getByLabel("Password to confirm deletion").fill("not the right password");
    await page.getByRole("button", { name: "Delete account" }).click();
    await expect(page.getByText("Password is incorrect").first()).toBeVisible();

    await page.getByLabel("Password to confirm deletion").fill(user.password);
    await page.getByRole("button", { name: "Delete account" }).click();
    await expect(page).toHaveURL(/\/login\?notice=account-deleted$/);
    await expect(page.getByText("Your account has been deleted.")).toBeVisible();
    await logIn(page, user.username, user.password);
    await expect(formAlert(page)).toHaveText("Invalid email/username or password");
  });
});
