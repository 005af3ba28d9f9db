import { randomBytes } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { expect, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { MAIL_DIR } from "../../playwright.config";

export const STORAGE = { user: "e2e/.auth/user.json", admin: "e2e/.auth/admin.json" };
export const PASSWORD = "correct horse battery staple again";

export type TestUser = { username: string; email: string; password: string; id?: string };

export function uniqueUser(prefix = "user"): TestUser {
  const suffix = randomBytes(5).toString("hex");
  return { username: `${prefix}_${suffix}`, email: `${prefix}.${suffix}@example.com`, password: PASSWORD };
}

/** Creates an account through the public API (fast, and independent of the page under test). */
export async function createUser(request: APIRequestContext, prefix = "user"): Promise<TestUser> {
  const user = uniqueUser(prefix);
  const response = await request.post("/api/v1/auth/signup", {
    data: { username: user.username, email: user.email, password: user.password },
  });
  expect(response.status()).toBe(201);
  return { ...user, id: (await response.json()).user.id };
}

export async function logIn(page: Page, identifier: string, password: string, path = "/login") {
  await page.goto(path);
  await page.getByLabel("Email or username").fill(identifier);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

/** Logs in and waits until the browser has landed on the dashboard with its new session. */
export async function signInAs(page: Page, user: TestUser) {
  await logIn(page, user.username, user.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText(`Signed in as ${user.username}`)).toBeVisible();
}

/** Logs out with the dashboard's button and waits for the login page. */
export async function logOut(page: Page) {
  await page.goto("/dashboard");
  await page.getByRole("main").getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login/);
}

/** The page's own alerts (Next adds an empty route announcer with role="alert" too). */
export function formAlert(page: Page) {
  return page.getByRole("main").getByRole("alert");
}

/** A separate browser (its own cookies) signed in as the user: another device. */
export async function signedInDevice(browser: Browser, user: TestUser) {
  // Explicitly empty: a new context would otherwise inherit the test's stored session.
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await signInAs(page, user);
  return { context, page };
}

export type DeliveredMail = { to: string; subject: string; text: string; html: string };

/** A delivered mail, or null while the SMTP server is still writing its file (the next poll reads it whole). */
function readDeliveredMail(file: string): DeliveredMail | null {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as DeliveredMail;
  } catch {
    return null;
  }
}

/** The newest mail to this address with a matching subject, as the test SMTP server received it. */
export async function deliveredMail(to: string, subject: RegExp, timeoutMs = 15_000): Promise<DeliveredMail> {
  let found: DeliveredMail | undefined;
  await expect
    .poll(
      () => {
        const files = readdirSync(MAIL_DIR).sort().reverse();
        found = files
          .map((file) => readDeliveredMail(path.join(MAIL_DIR, file)))
          .find((mail) => mail !== null && mail.to === to && subject.test(mail.subject)) ?? undefined;
        return Boolean(found);
      },
      { timeout: timeoutMs, message: `a mail to ${to} matching ${subject}` },
    )
    .toBe(true);
  return found!;
}

/** The first absolute link to `path` in a mail's text part. */
export function linkIn(mail: DeliveredMail, path: string): string {
  const match = new RegExp(`https?://\\S+${path.replace(/\//g, "\\/")}\\?token=[A-Za-z0-9_-]+`).exec(mail.text);
  if (!match) throw new Error(`no ${path} link in: ${mail.text}`);
  return match[0];
}
