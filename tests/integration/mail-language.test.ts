import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { POST as signupRoute } from "@/app/api/v1/auth/signup/route";
import { db } from "@/lib/db/client";
import { setPreferredLocale } from "@/lib/services/accounts";
import { requestEmailChange, requestPasswordReset } from "@/lib/services/email-flows";
import { PASSWORD, TEST_CONTEXT, createUserWithToken, noContext, request, setEnv, uniqueName } from "../support/http";
import { databaseAndSmtpForFile } from "../support/mail-bed";

const bed = databaseAndSmtpForFile();
beforeEach(() => setEnv({ SMTP_URL: bed.smtp.url }));
afterAll(() => setEnv({ SMTP_URL: undefined }));

/** A sign-up through the API, from a client that reads `acceptLanguage`. */
async function signUpReading(acceptLanguage: string | undefined) {
  const names = uniqueName("lang");
  const headers = acceptLanguage ? { "accept-language": acceptLanguage } : undefined;
  const response = await signupRoute(request("/api/v1/auth/signup", { method: "POST", headers, json: { ...names, password: PASSWORD } }), noContext);
  expect(response.status).toBe(201);
  return (await db().user.findUniqueOrThrow({ where: { email: names.email }, select: { id: true, email: true, locale: true } }));
}

describe("mail in the language of the account it goes to", () => {
  it("an account signed up in German gets its mail in German; its choice on the switch changes that", async () => {
    const user = await signUpReading("de-DE,de;q=0.9,en;q=0.5");
    expect(user.locale).toBe("de");
    const verification = await bed.smtp.waitForMail(user.email, /^Bestätigen Sie Ihre E-Mail-Adresse$/);
    expect(verification.text).toContain("Der Link ist 24 Stunden gültig.");

    await requestPasswordReset(user.email, TEST_CONTEXT);
    expect((await bed.smtp.waitForMail(user.email, /^Setzen Sie Ihr Passwort zurück$/)).text).toContain("Neues Passwort wählen");

    await setPreferredLocale(user.id, "en");
    await requestPasswordReset(user.email, { ...TEST_CONTEXT, ip: "192.0.2.77", clientKey: "192.0.2.77" });
    expect((await bed.smtp.waitForMail(user.email, /^Reset your password$/)).text).toContain("Choose a new password");
  });

  it("without a language from the client, English; a mail to an address's owner is in the owner's language, not the sender's", async () => {
    const english = await signUpReading(undefined);
    expect(english.locale).toBe("en");
    await bed.smtp.waitForMail(english.email, /^Confirm your email address$/);

    const german = await signUpReading("de");
    const { user: someone } = await createUserWithToken("mover");
    await requestEmailChange(someone.id, { newEmail: german.email, password: PASSWORD }, TEST_CONTEXT);
    const attempt = await bed.smtp.waitForMail(german.email, /^Jemand wollte Ihre E-Mail-Adresse für ein anderes Konto verwenden$/);
    expect(attempt.text).toContain("Es hat sich nichts geändert");
  });
});
