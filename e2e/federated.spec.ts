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
  // A refusal, announced as one: not the success tone every notice used to get.
  await expect(formAlert(page)).toContainText("Keep another way to sign in first");

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
  await expect(page.getByRole("main").getByRole("status")).toHaveText("Provider unlinked.");
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

test("a session cookie that has ended can't link a provider: the callback is a sign-in, and the provider never leads to the victim", async ({ browser, page, request }) => {
  // Two rounds of three browsers, each through the provider's pages.
  test.setTimeout(180_000);
  const victim = await createUser(request, "deadcookie");
  const fresh = async () => {
    // Explicitly empty: nothing of the test's own browser comes along.
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const freshPage = await context.newPage();
    await freshPage.route(/fonts\.googleapis\.com/, (route) => route.abort());
    return { context, page: freshPage };
  };
  const endings: Record<string, (victimPage: Page) => Promise<void>> = {
    "log out": logOut,
    "log out everywhere": async (victimPage) => {
      await victimPage.goto("/account");
      await victimPage.getByRole("button", { name: "Log out everywhere" }).click();
      await expect(victimPage).toHaveURL(/\/login/);
    },
  };
  for (const [ending, endSession] of Object.entries(endings)) {
    const attackerIdentity = `attacker.${ending.replace(/ /g, "-")}.${Date.now()}@idp.example`;
    const victimBrowser = await fresh();
    await signInAs(victimBrowser.page, victim);
    const deadCookie = (await victimBrowser.context.cookies()).find((cookie) => cookie.name === "authjs.session-token");
    expect(deadCookie, ending).toBeDefined();
    await endSession(victimBrowser.page);
    await victimBrowser.context.close();

    // Someone holding only the ended cookie runs the provider sign-in with their own identity at the provider.
    const attacker = await fresh();
    await attacker.context.addCookies([deadCookie!]);
    await attacker.page.goto("/login");
    await attacker.page.getByRole("button", { name: `Continue with ${IDP.name}` }).click();
    await attacker.page.waitForURL((url) => url.href.startsWith(`${IDP.issuer}/interaction/`));
    // Whatever the pages did with it, the callback gets the dead cookie.
    await attacker.context.addCookies([deadCookie!]);
    await passIdentityProvider(attacker.page, attackerIdentity, /\/dashboard$/);
    // A sign-in: an account of the attacker's own identity, not a link to the victim.
    const attackerMe = await attacker.page.request.get("/api/v1/me");
    expect(attackerMe.status()).toBe(200);
    expect((await attackerMe.json()).user, ending).toMatchObject({ email: attackerIdentity });
    await attacker.context.close();

    // Later, a browser with no cookie at all signs in through the provider as that identity: never the victim.
    const later = await fresh();
    await later.page.goto("/login");
    await continueWithIdp(later.page, attackerIdentity, /\/dashboard$/);
    const laterMe = await later.page.request.get("/api/v1/me");
    expect(laterMe.status()).toBe(200);
    expect((await laterMe.json()).user.id, ending).not.toBe(victim.id);
    await expect(later.page.getByText(`Signed in as ${victim.username}`)).toHaveCount(0);
    await later.context.close();
  }

  // And the victim's account has no provider linked.
  await signInAs(page, victim);
  await page.goto("/account");
  await expect(page.getByRole("list", { name: "Linked providers" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: `Link ${IDP.name}` })).toBeVisible();
});
