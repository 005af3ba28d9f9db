import { expect, test, type Page } from "@playwright/test";
import { IDP } from "../playwright.config";
import { createUser, formAlert, logOut, signInAs } from "./support/fixtures";

/**
 * Goes through the test identity provider's own pages as `email` (its sign-in form, then its consent page, as far
 * as it still asks: it remembers a signed-in browser) until the browser lands on `landing`.
 */
async function passIdentityProvider(page: Page, email: string, landing: RegExp) {
  for (let step = 0; step < 4; step += 1) {
    await page.waitForURL((url) => url.href.startsWith(`${IDP.issuer}/interaction/`) || landing.test(url.href));
    if (landing.test(page.url())) return;
    const login = page.getByPlaceholder("Enter any login");
    if (await login.count()) {
      await login.fill(email);
      await page.getByPlaceholder("and password").fill("anything at all");
      await page.getByRole("button", { name: "Sign-in" }).click();
    } else {
      await page.getByRole("button", { name: "Continue" }).click();
    }
    await page.waitForLoadState("domcontentloaded");
  }
  await expect(page).toHaveURL(landing);
}

async function continueWithIdp(page: Page, email: string, landing: RegExp) {
  await page.getByRole("button", { name: `Continue with ${IDP.name}` }).click();
  await passIdentityProvider(page, email, landing);
}

test.beforeEach(async ({ page }) => {
  // The provider's development pages import a web font; this machine has no internet.
  await page.route(/fonts\.googleapis\.com/, (route) => route.abort());
});

test("a new person continues with the identity provider, gets an account with a username from their email, and the same session rules", async ({ page }) => {
  const email = `fed.${Date.now()}@idp.example`;
  await page.goto("/signup");
  await expect(page.getByRole("button", { name: `Continue with ${IDP.name}` })).toBeVisible();
  await page.goto("/login");
  await continueWithIdp(page, email, /\/dashboard$/);
  await expect(page.getByText(/Signed in as fed_\d+/)).toBeVisible();
  const me = await page.request.get("/api/v1/me");
  expect(me.status()).toBe(200);
  expect((await me.json()).user).toMatchObject({ email, emailVerified: true });

  // Its only way in: unlinking is refused.
  await page.goto("/account");
  await page.getByRole("button", { name: `Unlink ${IDP.name}` }).click();
  await expect(page.getByText("Keep another way to sign in first")).toBeVisible();

  await logOut(page);
  expect((await page.request.get("/api/v1/me")).status()).toBe(401);
  await continueWithIdp(page, email, /\/dashboard$/);
});

test("an email that already has a password account is never linked silently; linked from /account after the password instead", async ({ page, request }) => {
  const user = await createUser(request, "fedlink");
  await page.goto("/login");
  await continueWithIdp(page, user.email, /\/login\?.*error=OAuthAccountNotLinked/);
  await expect(formAlert(page)).toContainText("already has a Latchkey account");
  expect((await page.request.get("/api/v1/me")).status()).toBe(401);

  await signInAs(page, user);
  await page.goto("/account");
  await page.getByRole("button", { name: `Link ${IDP.name}` }).click();
  await passIdentityProvider(page, user.email, /\/account\?notice=provider-linked$/);
  await expect(page.getByText("Provider linked: you can now sign in with it too.")).toBeVisible();
  await expect(page.getByRole("list", { name: "Linked providers" })).toContainText(IDP.name);

  await logOut(page);
  await continueWithIdp(page, user.email, /\/dashboard$/);
  await expect(page.getByText(`Signed in as ${user.username}`)).toBeVisible();

  // The password remains, so unlinking is allowed.
  await page.goto("/account");
  await page.getByRole("button", { name: `Unlink ${IDP.name}` }).click();
  await expect(page.getByText("Provider unlinked.")).toBeVisible();
  await expect(page.getByRole("button", { name: `Link ${IDP.name}` })).toBeVisible();
});

test("a tampered state, PKCE verifier or nonce is refused and nobody is signed in", async ({ page, context }) => {
  const email = `tamper.${Date.now()}@idp.example`;
  // Auth.js keeps each check's expected value in an encrypted cookie; a changed one must fail its check.
  const tamperings = ["authjs.state", "authjs.pkce.code_verifier", "authjs.nonce"];
  for (const tampering of tamperings) {
    // A fresh start each time, the identity provider's own session included, so that it asks again.
    await context.clearCookies();
    await page.goto("/login");
    await page.getByRole("button", { name: `Continue with ${IDP.name}` }).click();
    await page.waitForURL((url) => url.href.startsWith(`${IDP.issuer}/interaction/`));
    const cookie = (await context.cookies()).find((candidate) => candidate.name === tampering);
    expect(cookie, tampering).toBeDefined();
    await context.addCookies([{ ...cookie!, value: `${cookie!.value.slice(0, -4)}AAAA` }]);
    await passIdentityProvider(page, email, /\/login\?.*error=/);
    expect((await page.request.get("/api/v1/me")).status(), tampering).toBe(401);
  }
});
