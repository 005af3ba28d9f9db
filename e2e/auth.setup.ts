import { expect, test as setup } from "@playwright/test";
import { ADMIN } from "../playwright.config";
import { STORAGE, createUser, logIn } from "./support/fixtures";

setup("sign in a user and save the session", async ({ page, request }) => {
  const user = await createUser(request, "stored");
  await logIn(page, user.username, user.password);
  await expect(page.getByText(`Signed in as ${user.username}`)).toBeVisible();
  await page.context().storageState({ path: STORAGE.user });
});

setup("sign in the admin and save the session", async ({ page }) => {
  await logIn(page, ADMIN.email, ADMIN.password);
  await expect(page.getByText(`Signed in as ${ADMIN.username}`)).toBeVisible();
  await page.context().storageState({ path: STORAGE.admin });
});
