import { expect, test } from "@playwright/test";
import { createUser, deliveredMail, signInAs, signedInDevice } from "./support/fixtures";

test.use({ storageState: { cookies: [], origins: [] } });

test("a sign-in from a browser the account never used mails the owner, with a link to where they're signed in", async ({ browser, page, request }) => {
  const user = await createUser(request, "newdevice");
  // The account's first browser is its own: no mail for it.
  await signInAs(page, user);
  const other = await signedInDevice(browser, user);
  const mail = await deliveredMail(user.email, /^New sign-in to your account$/);
  expect(mail.text).toContain("Device: Chrome");
  expect(mail.text).toMatch(/Address: \S+/);
  const link = /https?:\/\/\S+\/account#sessions/.exec(mail.text)?.[0];
  expect(link).toBeDefined();

  // The link leads to the session list, where the other browser can be signed out.
  await page.goto(link!);
  const sessions = page.getByRole("table", { name: "Where you're signed in" });
  await expect(sessions.getByRole("row").filter({ has: page.getByRole("button", { name: "Sign out" }) })).toHaveCount(2);
  await other.context.close();
});
