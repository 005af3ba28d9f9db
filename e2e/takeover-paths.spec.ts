import { expect, test, type APIRequestContext } from "@playwright/test";
import { createUser, deliveredMail, linkIn, uniqueUser } from "./support/fixtures";

// Takeover paths found where two features meet, each replayed against the production server. (The dead cookie
// linking a provider is in federated.spec.ts; redirect targets in security.spec.ts.)

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function accessToken(request: APIRequestContext, identifier: string, password: string): Promise<string> {
  const response = await request.post("/api/v1/auth/token", { data: { identifier, password } });
  expect(response.status()).toBe(200);
  return (await response.json()).access_token;
}

test("a squatter's API key and token die when the address's owner resets the password (pre-hijacking)", async ({ page, request, javaScriptEnabled }) => {
  // The squatter signs up with the victim's address (nothing proves it yet) and plants a long-lived key.
  const victim = uniqueUser("victim");
  const squatter = uniqueUser("squatter");
  expect((await request.post("/api/v1/auth/signup", { data: { username: squatter.username, email: victim.email, password: squatter.password } })).status()).toBe(201);
  const squatterToken = await accessToken(request, squatter.username, squatter.password);
  const created = await request.post("/api/v1/api-keys", { headers: bearer(squatterToken), data: { name: "backdoor" } });
  expect(created.status()).toBe(201);
  const { key } = await created.json();
  expect((await request.get("/api/v1/me", { headers: bearer(key) })).status()).toBe(200);

  // The owner of the address takes the account back through the mailed reset link, in a browser.
  await page.goto("/forgot-password");
  await page.getByLabel("Email").fill(victim.email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByText("If an account uses that address")).toBeVisible();
  await page.goto(linkIn(await deliveredMail(victim.email, /Reset your password/), "/reset-password"));
  const newPassword = `the rightful owner's passphrase ${javaScriptEnabled ? "js" : "plain"}`;
  await page.getByLabel("New password", { exact: true }).fill(newPassword);
  await page.getByLabel("Confirm new password").fill(newPassword);
  await page.getByRole("button", { name: "Reset password" }).click();
  await expect(page.getByRole("heading", { name: "Your password has been reset" })).toBeVisible();

  for (const credential of [key, squatterToken]) {
    expect((await request.get("/api/v1/me", { headers: bearer(credential) })).status()).toBe(401);
  }
  const notice = await deliveredMail(victim.email, /older sign-in methods were removed/);
  expect(notice.text).toMatch(/1 API key/);
  expect((await request.get("/api/v1/me", { headers: bearer(await accessToken(request, victim.email, newPassword)) })).status()).toBe(200);
});

test("a stolen session can't guess the password at bcrypt speed: re-checks back off like logins", async ({ request, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, "an API-only attack: run once");
  const user = await createUser(request, "guessed");
  const stolen = await accessToken(request, user.username, user.password);
  const change = (currentPassword: string) =>
    request.post("/api/v1/auth/password/change", {
      headers: bearer(stolen),
      data: { currentPassword, newPassword: "the thief's own new passphrase" },
    });
  for (let guess = 0; guess < 5; guess += 1) {
    const response = await change(`guess number ${guess} of many`);
    expect(response.status()).toBe(401);
    expect((await response.json()).error.code).toBe("invalid_credentials");
  }
  const blocked = await change("guess number 5 of many");
  expect(blocked.status()).toBe(429);
  expect(Number(blocked.headers()["retry-after"])).toBeGreaterThan(0);
  // Even the right password waits now, so the next guesses cost the thief the back-off, not a bcrypt.
  expect((await change(user.password)).status()).toBe(429);
});
