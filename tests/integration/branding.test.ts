import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { POST as signup } from "@/app/api/v1/auth/signup/route";
import { passkeyRegistrationOptions } from "@/lib/services/passkeys";
import { startTwoFactorEnrollment } from "@/lib/services/two-factor";
import { PASSWORD, TEST_CONTEXT, createUserWithToken, noContext, request, setEnv, uniqueName } from "../support/http";
import { databaseAndSmtpForFile } from "../support/mail-bed";

// APP_NAME, APP_LOGO_URL and APP_ACCENT_COLOR where the pages can't show them: mails, authenticator apps and passkeys.
// (The pages: tests/servers/branding.test.ts.)

const bed = databaseAndSmtpForFile();
afterAll(() => setEnv({ APP_NAME: undefined, APP_LOGO_URL: undefined, APP_ACCENT_COLOR: undefined, SMTP_URL: undefined, AUTH_URL: undefined }));
beforeEach(() => {
  setEnv({ SMTP_URL: bed.smtp.url, AUTH_URL: "https://id.acme.example", APP_NAME: "Acme ID", APP_LOGO_URL: "/logo.svg", APP_ACCENT_COLOR: "#0f766e", MAIL_FROM: undefined });
});

describe("another product's name", () => {
  it("signs, sends and colours the mail, with the logo from the public origin", async () => {
    const names = uniqueName("brand");
    expect((await signup(request("/api/v1/auth/signup", { method: "POST", json: { ...names, password: PASSWORD } }), noContext)).status).toBe(201);
    const mail = await bed.smtp.waitForMail(names.email, /Confirm your email/);
    expect(mail.parsed.from?.text).toBe('"Acme ID" <no-reply@localhost>');
    expect(mail.text).toContain("your email address for Acme ID.");
    expect(mail.text.trimEnd().endsWith("— Acme ID")).toBe(true);
    expect(mail.html).toContain("background:#0f766e");
    expect(mail.html).toContain('<img src="https://id.acme.example/logo.svg" alt="Acme ID"');
    expect(mail.text + mail.html).not.toContain("Latchkey");
  });

  it("is the issuer authenticator apps show and the passkey's relying-party name", async () => {
    const { user } = await createUserWithToken("brandfactors");
    const enrollment = await startTwoFactorEnrollment(user.id);
    expect(new URL(enrollment.otpauthUrl).searchParams.get("issuer")).toBe("Acme ID");
    expect(decodeURIComponent(new URL(enrollment.otpauthUrl).pathname)).toMatch(/^\/Acme ID:/);
    const options = await passkeyRegistrationOptions(user.id, PASSWORD, TEST_CONTEXT);
    expect(options.rp.name).toBe("Acme ID");
  });
});
