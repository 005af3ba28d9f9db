import { expect, test } from "@playwright/test";
import { STORAGE, createUser, formAlert, logIn, signedInDevice } from "./support/fixtures";

test.describe("suspension by an admin", () => {
  test.use({ storageState: STORAGE.admin });

  test("suspending for a day signs the user out and tells only the right password until when; lifting lets them in", async ({
    page,
    browser,
    request,
  }) => {
    const user = await createUser(request, "suspended");
    const device = await signedInDevice(browser, user);

    await page.goto(`/admin/users/${user.id}`);
    await page.getByLabel("Suspend for").selectOption({ label: "1 day" });
    await page.getByLabel("Reason").fill("Too many spam posts");
    await page.getByRole("button", { name: "Suspend", exact: true }).click();
    await expect(page.getByText("User suspended: every session and token has ended")).toBeVisible();
    await expect(page.getByText(/Suspended until .* UTC — Too many spam posts/)).toBeVisible();

    await device.page.goto("/dashboard");
    await expect(device.page).toHaveURL(/\/login\?callbackUrl=/);
    await logIn(device.page, user.username, `${user.password} wrong`);
    await expect(formAlert(device.page)).toContainText("Invalid email/username or password");
    await logIn(device.page, user.username, user.password);
    await expect(formAlert(device.page)).toContainText(/This account is suspended until \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    await expect(device.page).toHaveURL(/\/login/);

    await page.getByRole("button", { name: "Lift suspension" }).click();
    await expect(page.getByText("Suspension lifted.")).toBeVisible();
    await logIn(device.page, user.username, user.password);
    await expect(device.page).toHaveURL(/\/dashboard$/);
    await device.context.close();
  });
});

test.describe("where you're signed in", () => {
  test("lists this browser and another, and Sign out on the other one ends it", async ({ browser, request }) => {
    const user = await createUser(request, "sessions");
    const here = await signedInDevice(browser, user);
    const elsewhere = await signedInDevice(browser, user);

    await here.page.goto("/account");
    const sessions = here.page.getByRole("table", { name: "Where you're signed in" });
    const rows = sessions.getByRole("row").filter({ has: here.page.getByRole("button", { name: "Sign out" }) });
    await expect(rows).toHaveCount(2);
    await expect(rows.filter({ hasText: "This device" })).toHaveCount(1);
    await expect(rows.first()).toContainText(/Chrome on \w+/);
    await rows.filter({ hasNotText: "This device" }).getByRole("button", { name: "Sign out" }).click();
    await expect(here.page.getByText("Signed out of that session.")).toBeVisible();
    await expect(rows).toHaveCount(1);

    await elsewhere.page.goto("/dashboard");
    await expect(elsewhere.page).toHaveURL(/\/login\?callbackUrl=/);
    await here.page.goto("/dashboard");
    await expect(here.page.getByText(`Signed in as ${user.username}`)).toBeVisible();
    await here.context.close();
    await elsewhere.context.close();
  });
});

test.describe("recent activity on /account", () => {
  test.use({ storageState: STORAGE.admin });

  test("lists the user's sign-ins and what an administrator did, reached from the section navigation", async ({ page, browser, request }) => {
    const user = await createUser(request, "activity");
    const device = await signedInDevice(browser, user);

    await page.goto(`/admin/users/${user.id}`);
    await page.getByRole("button", { name: "Revoke sessions" }).click();
    await expect(page.getByText("Every session and access token of this user has ended.")).toBeVisible();
    await device.page.goto("/dashboard");
    await expect(device.page).toHaveURL(/\/login\?callbackUrl=/);
    await logIn(device.page, user.username, user.password);
    await expect(device.page).toHaveURL(/\/dashboard$/);

    await device.page.goto("/account");
    await device.page.getByRole("navigation", { name: "Account sections" }).getByRole("link", { name: "Activity" }).click();
    await expect(device.page).toHaveURL(/\/account#activity$/);
    const activity = device.page.locator("#activity");
    await expect(activity.getByRole("listitem").filter({ hasText: "Signed out everywhere" })).toContainText("by an administrator");
    await expect(activity.getByRole("listitem").filter({ hasText: "Signed in" }).first()).toBeVisible();
    await device.context.close();
  });
});
