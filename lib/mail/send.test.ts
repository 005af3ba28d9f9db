import { afterEach, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { logger } from "@/lib/log";
import { outbox } from "./outbox";
import { drainMail, queueMail } from "./send";
import { mailTemplates } from "./templates";

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
  it("is printed to the log, and kept in the outbox in development", async () => {
    useEnv({ NODE_ENV: "development", SMTP_URL: "" });
    const log = vi.spyOn(logger(), "info").mockImplementation(() => {});
    queueMail(mailTemplates.resetPassword("dev@example.com", "http://localhost:3000/reset-password?token=abc"));
    await drainMail();
    expect(log.mock.calls.flat().join("\n")).toContain("reset-password?token=abc");
    expect(outbox()[0]).toMatchObject({ to: "dev@example.com", subject: "Reset your password" });
  });

  it("is only printed in production", async () => {
    useEnv({ NODE_ENV: "production", SMTP_URL: "", AUTH_SECRET: "a-production-secret-of-enough-length-here" });
    vi.spyOn(logger(), "info").mockImplementation(() => {});
    const before = outbox().length;
    queueMail(mailTemplates.accountDeleted("prod@example.com"));
    await drainMail();
    expect(outbox().length).toBe(before);
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
