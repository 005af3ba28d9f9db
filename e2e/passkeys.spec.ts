import { expect, test, type Page } from "@playwright/test";
import { createUser, formAlert, logOut, signInAs } from "./support/fixtures";

/** Chromium's virtual authenticator (CDP): a platform authenticator that holds resident keys and verifies the user. */
async function addVirtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
}

test.describe("passkeys", () => {
  test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, "WebAuthn runs through JavaScript");

  test("added on /account after the password, signs in from /login, and once removed signs in no more", async ({ page, request }) => {
    const user = await createUser(request, "passkey");
    await addVirtualAuthenticator(page);
    await signInAs(page, user);
    await page.goto("/account");
    await page.getByLabel("Name of this passkey").fill("Laptop");
    await page.getByLabel("Password to add a passkey").fill("not the password, so nothing is added");
    await page.getByRole("button", { name: "Add a passkey" }).click();
    // In the form's alert and next to the field.
    await expect(page.getByText("Current password is incorrect")).toHaveCount(2);
    await expect(page.getByText("No passkeys yet.")).toBeVisible();

    await page.getByLabel("Password to add a passkey").fill(user.password);
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await expect(page.getByText("Passkey “Laptop” added.")).toBeVisible();
    const passkeys = page.getByRole("list", { name: "Your passkeys" }).getByRole("listitem");
    await expect(passkeys).toHaveCount(1);
    await page.getByLabel("Name of passkey Laptop").fill("Work laptop");
    await page.getByRole("button", { name: "Rename Laptop" }).click();
    await expect(page.getByText("Passkey renamed.")).toBeVisible();

    await logOut(page);
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByText(`Signed in as ${user.username}`)).toBeVisible();

    await page.goto("/account");
    await expect(passkeys).toContainText("last used");
    await page.getByRole("button", { name: "Remove Work laptop" }).click();
    await expect(page.getByText("Passkey removed.")).toBeVisible();
    await expect(page.getByText("No passkeys yet.")).toBeVisible();

    // The authenticator still offers the credential; the server no longer accepts it.
    await logOut(page);
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await expect(formAlert(page)).toContainText("That passkey didn't work");
    await expect(page).toHaveURL(/\/login/);
    expect((await page.request.get("/api/v1/me")).status()).toBe(401);
  });
});

test("without JavaScript the pages say that passkeys need it", async ({ page, javaScriptEnabled }) => {
  test.skip(javaScriptEnabled, "only without JavaScript");
  await page.goto("/login");
  await expect(page.getByText("Passkeys need JavaScript", { exact: false })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign in with a passkey" })).toHaveCount(0);
});
