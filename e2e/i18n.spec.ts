import { expect, test } from "@playwright/test";
import { totpCode, totpStep } from "../lib/crypto/totp";
import de from "../messages/de.json" with { type: "json" };
import { deliveredMail, linkIn, uniqueUser } from "./support/fixtures";

// Runs in both projects (JavaScript on and off): the language comes from the server, never from a script.
test.describe("in German (Accept-Language: de-DE)", () => {
  test.use({ locale: "de-DE" });

  test("/login and /signup are in German, on the same paths", async ({ page }) => {
    await page.goto("/login");
    await expect(page.locator("html")).toHaveAttribute("lang", "de");
    await expect(page.getByLabel("E-Mail-Adresse oder Benutzername")).toBeVisible();
    await expect(page.getByLabel("Passwort", { exact: true })).toBeVisible();
    await expect(page.getByRole("button", { name: "Anmelden", exact: true })).toBeVisible();

    await page.goto("/signup");
    await expect(page.getByLabel("Benutzername")).toBeVisible();
    await expect(page.getByLabel("E-Mail-Adresse")).toBeVisible();
    await expect(page.getByRole("button", { name: "Konto erstellen" })).toBeVisible();
    await expect(page.getByText("Create account")).toHaveCount(0);
  });

  test("a new user signs up, logs out and logs back in, all in German", async ({ page }) => {
    const user = uniqueUser("deutsch");
    await page.goto("/signup");
    await page.getByLabel("Benutzername").fill(user.username);
    await page.getByLabel("E-Mail-Adresse").fill(user.email);
    await page.getByLabel("Passwort", { exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Konto erstellen" }).click();

    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByText(`Angemeldet als ${user.username}`)).toBeVisible();
    // The account reads German, so its mail does too, link and all.
    const mail = await deliveredMail(user.email, /^Bestätigen Sie Ihre E-Mail-Adresse$/);
    expect(mail.text).toContain("Der Link ist 24 Stunden gültig.");
    expect(mail.html).toContain("Oder öffnen Sie diesen Link:");
    expect(mail.text).not.toMatch(/confirm|the link|email address/i);
    expect(linkIn(mail, "/verify-email")).toContain("token=");
    await page.getByRole("main").getByRole("button", { name: "Abmelden" }).click();
    await expect(page).toHaveURL(/\/login$/);

    await page.getByLabel("E-Mail-Adresse oder Benutzername").fill(user.email);
    await page.getByLabel("Passwort", { exact: true }).fill("not the right password at all");
    await page.getByRole("button", { name: "Anmelden", exact: true }).click();
    await expect(page.getByRole("main").getByRole("alert")).toContainText("E-Mail-Adresse/Benutzername oder Passwort ist falsch");

    await page.getByLabel("Passwort", { exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Anmelden", exact: true }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByText(`Angemeldet als ${user.username}`)).toBeVisible();
  });

  test("field errors are in German, next to their fields", async ({ page }) => {
    await page.goto("/signup");
    await page.getByLabel("Benutzername").fill("x");
    await page.getByLabel("E-Mail-Adresse").fill("keine-adresse");
    await page.getByLabel("Passwort", { exact: true }).fill("kurz");
    await page.getByRole("button", { name: "Konto erstellen" }).click();

    for (const [label, message] of [
      ["Benutzername", "mindestens 3 Zeichen"],
      ["E-Mail-Adresse", "gültige E-Mail-Adresse"],
      ["Passwort", "mindestens 15 Zeichen"],
    ] as const) {
      const input = page.getByLabel(label, { exact: true });
      await expect(input).toHaveAttribute("aria-invalid", "true");
      const describedBy = (await input.getAttribute("aria-describedby"))!.split(" ");
      await expect(page.locator(`[id="${describedBy.at(-1)}"]`)).toContainText(message);
    }
  });
});

test("the language switch changes the language, keeps the path and is remembered", async ({ page }) => {
  await page.goto("/forgot-password");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("button", { name: "Send reset link" })).toBeVisible();

  await page.getByRole("button", { name: "Deutsch" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await expect(page.getByRole("button", { name: "Link zum Zurücksetzen senden" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "de");

  await page.goto("/login");
  await expect(page.getByLabel("E-Mail-Adresse oder Benutzername")).toBeVisible();

  await page.getByRole("button", { name: "English" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByLabel("Email or username")).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
});

test.describe("a German user's whole journey", () => {
  test.use({ locale: "de-DE" });

  /** Words that only English text has: none may show on a German page or in a German mail. */
  const ENGLISH = /\b(the|your|and|with|password|account|sign|session|enable|turn|confirm|on|unknown)\b/i;
  /** A text without its links, whose paths (/account, /reset-password) are the same in every language. */
  const words = (text: string) => text.replace(/https?:\/\/\S+/g, "");

  test("sign-up, mail confirmation, 2FA on /account, sign-in with a code and a password reset, without an English word", async ({ page }) => {
    const user = uniqueUser("journey");
    await page.goto("/signup");
    await page.getByLabel(de.forms.username).fill(user.username);
    await page.getByLabel(de.forms.email).fill(user.email);
    await page.getByLabel(de.forms.password, { exact: true }).fill(user.password);
    await page.getByRole("button", { name: de.forms.createAccount }).click();
    await expect(page).toHaveURL(/\/dashboard$/);

    // The address confirmed through its German mail, on German pages.
    const confirmation = await deliveredMail(user.email, new RegExp(`^${de.mail.verifyEmail.subject}$`));
    expect(words(confirmation.text)).not.toMatch(ENGLISH);
    await page.goto(linkIn(confirmation, "/verify-email"));
    expect(await page.getByRole("main").innerText()).not.toMatch(ENGLISH);
    await page.getByRole("button", { name: de.forms.confirmEmailAddress }).click();
    await expect(page.getByRole("heading", { name: de.verifyEmail.confirmedHeading })).toBeVisible();
    expect(await page.getByRole("main").innerText()).not.toMatch(ENGLISH);

    await page.goto("/account");
    await expect(page.getByRole("heading", { name: de.account.title, exact: true })).toBeVisible();
    expect(await page.getByRole("main").innerText()).not.toMatch(ENGLISH);
    await page.getByRole("button", { name: de.accountForms.twoFactor.enable }).click();
    const secret = ((await page.getByLabel(de.accountForms.twoFactor.keyLabel, { exact: true }).textContent()) ?? "").trim();
    await page.getByLabel(de.forms.authenticationCode).fill(totpCode(secret, totpStep(Date.now() - 30_000)));
    await page.getByRole("button", { name: de.forms.verify }).click();
    await expect(page.getByRole("list", { name: de.accountForms.twoFactor.recoveryCodes })).toBeVisible();
    expect(await page.getByRole("main").innerText()).not.toMatch(ENGLISH);
    const enabledMail = await deliveredMail(user.email, new RegExp(`^${de.mail.twoFactorChanged.subjectOn}$`));
    expect(words(enabledMail.text)).not.toMatch(ENGLISH);

    await page.goto("/dashboard");
    await page.getByRole("main").getByRole("button", { name: de.site.logOut }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.getByLabel(de.forms.identifier).fill(user.username);
    await page.getByLabel(de.forms.password, { exact: true }).fill(user.password);
    await page.getByRole("button", { name: de.forms.logIn, exact: true }).click();
    await expect(page).toHaveURL(/\/login\/verify/);
    expect(await page.getByRole("main").innerText()).not.toMatch(ENGLISH);
    await page.getByLabel(de.forms.authenticationCode).fill(totpCode(secret, totpStep(Date.now() + 30_000)));
    await page.getByRole("button", { name: de.forms.verify }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await page.getByRole("main").getByRole("button", { name: de.site.logOut }).click();
    await expect(page).toHaveURL(/\/login$/);

    await page.goto("/forgot-password");
    await page.getByLabel(de.forms.email).fill(user.email);
    await page.getByRole("button", { name: de.forms.sendResetLink }).click();
    const resetMail = await deliveredMail(user.email, new RegExp(`^${de.mail.resetPassword.subject}$`));
    expect(words(resetMail.text)).not.toMatch(ENGLISH);
    await page.goto(linkIn(resetMail, "/reset-password"));
    expect(await page.getByRole("main").innerText()).not.toMatch(ENGLISH);
    await page.getByLabel(de.forms.newPassword, { exact: true }).fill("ein ganz neues und langes Passwort");
    await page.getByLabel(de.forms.confirmNewPassword).fill("ein ganz neues und langes Passwort");
    await page.getByRole("button", { name: de.forms.resetPassword }).click();
    await expect(page.getByRole("heading", { name: de.resetPassword.doneHeading })).toBeVisible();
    expect(await page.getByRole("main").innerText()).not.toMatch(ENGLISH);
  });
});
