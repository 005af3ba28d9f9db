import { randomBytes } from "node:crypto";
import { expect, type APIRequestContext, type Browser, type Page } from "@playwright/test";

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

/** The page's own alerts (Next adds an empty route announcer with role="alert" too). */
export function formAlert(page: Page) {
  return page.getByRole("main").getByRole("alert");
}

/** A separate browser (its own cookies) signed in as the user: another device. */
export async function signedInDevice(browser: Browser, user: TestUser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, user);
  return { context, page };
}
