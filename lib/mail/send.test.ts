import { afterEach, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { logger } from "@/lib/log";
import { outbox } from "./outbox";
import { deliverMail } from "./send";
import { mailTemplates, type MailKind } from "./templates";

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  resetEnvCache();
});

function useEnv(values: Record<string, string>) {
  for (const [key, value] of Object.entries(values)) vi.stubEnv(key, value);
  resetEnvCache();
}

describe("mail without SMTP_URL", () => {
  const RESET_LINK = "http://localhost:3000/reset-password?token=a-secret-reset-token";

  it("in development is printed to the log in full and kept in the outbox", async () => {
    useEnv({ NODE_ENV: "development", SMTP_URL: "" });
    const info = vi.spyOn(logger(), "info").mockImplementation(() => {});
    expect(await deliverMail(mailTemplates.resetPassword("dev@example.com", RESET_LINK))).toBe("logged");
    expect(JSON.stringify(info.mock.calls)).toContain(RESET_LINK);
    expect(outbox()[0]).toMatchObject({ kind: "reset_password", to: "dev@example.com", subject: "Reset your password" });
    expect(outbox()[0].text).toContain(RESET_LINK);
  });

  it("in production is not sent, and one warning names its kind and recipient, never its body, link or token", async () => {
    useEnv({ NODE_ENV: "production", SMTP_URL: "", AUTH_SECRET: "a-production-secret-of-enough-length-here" });
    const lines: unknown[][] = [];
    for (const level of ["fatal", "error", "warn", "info", "debug", "trace"] as const) {
      vi.spyOn(logger(), level).mockImplementation((...args: unknown[]) => void lines.push([level, ...args]));
    }
    const before = outbox().length;
    const message = mailTemplates.resetPassword("prod@example.com", RESET_LINK);
    expect(await deliverMail(message)).toBe("not_sent");
    expect(lines).toEqual([["warn", { mail: { kind: "reset_password", to: "prod@example.com" } }, "Mail NOT sent: SMTP_URL is not set"]]);
    const logged = JSON.stringify(lines);
    for (const secret of [RESET_LINK, "a-secret-reset-token", message.text, message.subject]) expect(logged).not.toContain(secret);
    expect(outbox().length).toBe(before);
  });

  it("labels every template with its kind", () => {
    const kind: MailKind = "verify_email";
    expect(mailTemplates.verifyEmail("a@example.com", "https://a.example/verify-email?token=t").kind).toBe(kind);
    expect(mailTemplates.twoFactorChanged("a@example.com", "reset", "https://a.example/account")).toMatchObject({
      kind: "two_factor_changed",
      to: "a@example.com",
      subject: "Two-factor authentication was turned off",
    });
    expect(mailTemplates.accountDeleted("a@example.com").kind).toBe("account_deleted");
  });
});

describe("templates", () => {
  it("have a text and an HTML part with the link, and escape what they show", () => {
    const mail = mailTemplates.emailChanged("old@example.com", '<script>alert("x")</script>@example.com', "https://a.example/forgot-password");
    expect(mail.text).toContain('<script>alert("x")</script>@example.com');
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("&#60;script&#62;");
    expect(mail.html).toContain('href="https://a.example/forgot-password"');
  });
});
