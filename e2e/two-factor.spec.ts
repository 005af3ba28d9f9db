import { expect, test, type Page } from "@playwright/test";
import { totpCode, totpStep } from "../lib/crypto/totp";
import { STORAGE, createUser, deliveredMail, formAlert, logIn, logOut, signInAs, signedInDevice } from "./support/fixtures";

/** What the person's authenticator app shows now (or `offset` steps of 30 s away). */
const codeAt = (secret: string, offset = 0) => totpCode(secret, totpStep(Date.now() + offset * 30_000));

/** Turns 2FA on from /account in a signed-in page; returns the key the authenticator app would hold. */
async function enableTwoFactor(page: Page): Promise<string> {
  await page.goto("/account");
  await page.getByRole("button", { name: "Enable two-factor authentication" }).click();
  const secret = ((await page.getByLabel("Authenticator key", { exact: true }).textContent()) ?? "").trim();
  await page.getByLabel("Authentication code").fill(codeAt(secret, -1));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("list", { name: "Recovery codes" })).toBeVisible();
  return secret;
}

test("two-factor authentication: enabled from /account, then every sign-in needs a code or a recovery code", async ({ page, request }) => {
  const user = await createUser(request, "totp");
  await signInAs(page, user);
  await page.goto("/account");
  await page.getByRole("button", { name: "Enable two-factor authentication" }).click();
  await expect(page.getByRole("img", { name: "QR code of your authenticator key" })).toBeVisible();
  const secret = ((await page.getByLabel("Authenticator key", { exact: true }).textContent()) ?? "").trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  expect(await page.getByRole("link", { name: "Open in an authenticator app on this device" }).getAttribute("href")).toMatch(
    new RegExp(`^otpauth://totp/Latchkey:.*secret=${secret}`),
  );
  await page.getByLabel("Authentication code").fill("000000");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByText("That code didn't work", { exact: false }).first()).toBeVisible();
  await page.getByLabel("Authentication code").fill(codeAt(secret, -1));
  await page.getByRole("button", { name: "Verify" }).click();
  const recoveryCodes = page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
  await expect(recoveryCodes).toHaveCount(10);
  const recoveryCode = ((await recoveryCodes.first().textContent()) ?? "").trim();
  await page.goto("/account");
  await expect(page.getByText("10 unused recovery codes left")).toBeVisible();

  // The password alone no longer signs in: no session until the code.
  await logOut(page);
  await logIn(page, user.username, user.password);
  await expect(page).toHaveURL(/\/login\/verify/);
  expect((await page.request.get("/api/v1/me")).status()).toBe(401);
  await page.getByLabel("Authentication code").fill("123456");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(formAlert(page)).toContainText("That code didn't work");
  await page.getByLabel("Authentication code").fill(codeAt(secret));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText(`Signed in as ${user.username}`)).toBeVisible();

  // Lost the phone: a recovery code works once.
  await logOut(page);
  await logIn(page, user.email, user.password);
  await page.getByLabel("Authentication code").fill(recoveryCode);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await logOut(page);
  await logIn(page, user.email, user.password);
  await page.getByLabel("Authentication code").fill(recoveryCode);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(formAlert(page)).toContainText("That code didn't work");
  await expect(page).toHaveURL(/\/login\/verify/);
});

test("the second step can't be reached without a right password, and turning 2FA off needs the password and a code", async ({ page, request, context }) => {
  const user = await createUser(request, "totpoff");
  await page.goto("/login/verify");
  await expect(page.getByRole("link", { name: "Back to log in" })).toBeVisible();
  await expect(page.getByLabel("Authentication code")).toHaveCount(0);

  await signInAs(page, user);
  const secret = await enableTwoFactor(page);

  // The challenge cookie is HttpOnly and scoped to /login.
  await logOut(page);
  await logIn(page, user.username, user.password);
  await expect(page).toHaveURL(/\/login\/verify/);
  const challenge = (await context.cookies()).find((cookie) => cookie.name === "latchkey.mfa-challenge");
  expect(challenge).toMatchObject({ httpOnly: true, path: "/login", sameSite: "Lax" });
  await page.getByLabel("Authentication code").fill(codeAt(secret));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  expect((await context.cookies()).some((cookie) => cookie.name === "latchkey.mfa-challenge")).toBe(false);

  await page.goto("/account");
  await page.getByLabel("Password", { exact: true }).fill("not my password, surely not");
  await page.getByLabel("Authentication code").fill(codeAt(secret, 1));
  await page.getByRole("button", { name: "Turn off two-factor authentication" }).click();
  await expect(page.getByLabel("Password", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Current password is incorrect").first()).toBeVisible();
  await page.getByLabel("Password", { exact: true }).fill(user.password);
  await page.getByLabel("Authentication code").fill(codeAt(secret, 1));
  await page.getByRole("button", { name: "Turn off two-factor authentication" }).click();
  await expect(page.getByText("Two-factor authentication is off.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Enable two-factor authentication" })).toBeVisible();
});

test.describe("as an admin", () => {
  test.use({ storageState: STORAGE.admin });

  test("sees who has 2FA, and a reset turns it off, signs the user out and tells them by mail", async ({ page, browser, request }) => {
    const user = await createUser(request, "totpreset");
    const device = await signedInDevice(browser, user);
    await enableTwoFactor(device.page);

    await page.goto(`/admin?query=${user.username}`);
    const row = page.getByRole("row", { name: new RegExp(user.username) });
    await expect(row.getByRole("cell", { name: "On", exact: true })).toBeVisible();
    await row.getByRole("link", { name: user.username, exact: true }).click();
    await page.getByRole("button", { name: "Reset two-factor authentication" }).click();
    await expect(page.getByText("Two-factor authentication turned off; the user was signed out and told by mail.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Reset two-factor authentication" })).toHaveCount(0);
    await deliveredMail(user.email, /Two-factor authentication was turned off/);

    await device.page.goto("/dashboard");
    await expect(device.page).toHaveURL(/\/login\?callbackUrl=/);
    await signInAs(device.page, user);
    await device.context.close();
  });
});
