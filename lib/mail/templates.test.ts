import { describe, expect, it } from "vitest";
import { mailTemplates, type RemovedCredentials } from "./templates";

const URL = "https://app.example/path?token=abc";
const REMOVED: RemovedCredentials = { sessions: 1, apiKeys: 2, passkeys: 0, linkedProviders: 0, twoFactor: 1, recoveryCodes: 10, mfaChallenges: 0, emailLinks: 1 };
const AT = new Date(Date.UTC(2026, 11, 3, 9, 30));

/** One message of every kind, for a recipient reading `locale` (null: the account chose none). */
function everyMail(locale: string | null) {
  const to = { email: "person@example.com", locale };
  return {
    credentialsRemoved: mailTemplates.credentialsRemoved(to, REMOVED, URL),
    twoFactorEnabled: mailTemplates.twoFactorChanged(to, "enabled", URL),
    twoFactorDisabled: mailTemplates.twoFactorChanged(to, "disabled", URL),
    twoFactorReset: mailTemplates.twoFactorChanged(to, "reset", URL),
    verifyEmail: mailTemplates.verifyEmail(to, URL),
    resetPassword: mailTemplates.resetPassword(to, URL),
    passwordChanged: mailTemplates.passwordChanged(to, URL),
    signupAttempt: mailTemplates.signupAttempt(to, URL, URL),
    changeEmail: mailTemplates.changeEmail(to, URL),
    emailChangeAttempt: mailTemplates.emailChangeAttempt(to, URL, URL),
    emailChanged: mailTemplates.emailChanged(to, "new@example.com", URL),
    accountSuspended: mailTemplates.accountSuspended(to, AT, "spam <b>"),
    suspensionLifted: mailTemplates.suspensionLifted(to, URL),
    newSignIn: mailTemplates.newSignIn(to, "Firefox on Linux", null, AT, URL),
    accountDeleted: mailTemplates.accountDeleted(to),
  };
}

describe("mail in the recipient's language", () => {
  const english = everyMail("en");
  const german = everyMail("de");

  it.each(Object.keys(english) as (keyof typeof english)[])("%s: German for a German account, with none of the English sentences", (name) => {
    const [en, de] = [english[name], german[name]];
    expect(de.to).toBe("person@example.com");
    expect(de.subject).not.toBe(en.subject);
    const englishLines = en.text.split("\n").filter((line) => line.length > 12 && !line.includes(URL) && !line.startsWith("— "));
    for (const line of englishLines) expect(de.text).not.toContain(line);
    // The link is the same in both, in the text and behind the button.
    if (en.text.includes(URL)) expect(de.html).toContain(URL.replace("&", "&#38;"));
  });

  it("an account without a language, a bare address or an unknown language gets the source language", () => {
    expect(everyMail(null).resetPassword).toEqual(english.resetPassword);
    expect(everyMail("xx").resetPassword).toEqual(english.resetPassword);
    expect(mailTemplates.resetPassword("person@example.com", URL)).toEqual(english.resetPassword);
  });

  it("says counts the way each language does, and escapes what a person typed", () => {
    expect(english.credentialsRemoved.text).toContain("- 1 signed-in session or access token\n- 2 API keys\n- 1 two-factor authentication setup\n- 10 recovery codes\n- 1 unused emailed link");
    expect(german.credentialsRemoved.text).toContain("- 2 API-Schlüssel\n- 1 Einrichtung der Zwei-Faktor-Authentifizierung\n- 10 Wiederherstellungscodes");
    expect(german.accountSuspended.text).toContain("bis 2026-12-03 09:30 UTC");
    expect(german.accountSuspended.html).toContain("spam &#60;b&#62;");
    expect(german.newSignIn.text).toContain("Adresse: unbekannt");
    expect(german.verifyEmail.kind).toBe("verify_email");
  });
});
