import { expect, test } from "@playwright/test";
import { STORAGE, createUser, deliveredMail, linkIn, signedInDevice } from "./support/fixtures";

test.describe("user detail page as an admin", () => {
  test.use({ storageState: STORAGE.admin });

  test("shows the profile and activity, ends sessions, mails a reset link, and deletes only after typing the name", async ({
    page,
    browser,
    request,
  }) => {
    const user = await createUser(request, "detail");
    const device = await signedInDevice(browser, user);

    await page.goto(`/admin?query=${user.username}`);
    await page.getByRole("link", { name: user.username, exact: true }).click();
    await expect(page.getByRole("heading", { name: user.username, level: 1 })).toBeVisible();
    await expect(page.getByText(`${user.email} (unverified)`)).toBeVisible();
    await expect(page.getByRole("cell", { name: "signup", exact: true })).toBeVisible();

    await page.getByRole("button", { name: "Revoke sessions" }).click();
    await expect(page.getByText("Every session and access token of this user has ended.")).toBeVisible();
    await device.page.goto("/dashboard");
    await expect(device.page).toHaveURL(/\/login\?callbackUrl=/);
    await device.context.close();

    await page.getByRole("button", { name: "Send password reset email" }).click();
    await expect(page.getByText("A password reset link was mailed to the user.")).toBeVisible();
    // The owner chooses the password through the link; the admin never sees or sets one.
    expect(linkIn(await deliveredMail(user.email, /Reset your password/), "/reset-password")).toContain("token=");

    await page.getByLabel("Username to confirm").fill("not-the-name");
    await page.getByRole("button", { name: "Delete user" }).click();
    await expect(page.getByText("Type the username exactly to confirm the deletion.")).toBeVisible();
    await page.getByLabel("Username to confirm").fill(user.username);
    await page.getByRole("button", { name: "Delete user" }).click();
    await expect(page).toHaveURL(/\/admin\?notice=user-deleted$/);
    const gone = await page.goto(`/admin/users/${user.id}`);
    expect(gone?.status()).toBe(404);
  });

  test("revoking a user's sessions from the users table signs their browsers out", async ({ page, browser, request }) => {
    const user = await createUser(request, "tablerevoke");
    const device = await signedInDevice(browser, user);
    await page.goto(`/admin?query=${user.username}`);
    await page.getByRole("button", { name: `Revoke sessions of ${user.username}` }).click();
    await expect(page.getByText("Every session and access token of this user has ended.")).toBeVisible();
    await device.page.goto("/dashboard");
    await expect(device.page).toHaveURL(/\/login\?callbackUrl=/);
    await device.context.close();
  });

  test("the overview shows the counts and a chart of the last 7 days", async ({ page }) => {
    await page.goto("/admin");
    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Overview" }).click();
    await expect(page).toHaveURL(/\/admin\/overview$/);
    await expect(page.getByText("Failed sign-ins, last 24 hours")).toBeVisible();
    await expect(page.getByRole("img", { name: /per day over the last 7 days/ })).toBeVisible();
    await expect(page.locator("svg rect title")).not.toHaveCount(0);
  });

  test("sorts the users table by a column, both ways", async ({ page }) => {
    await page.goto("/admin");
    await page.getByRole("link", { name: "Username" }).click();
    await expect(page).toHaveURL(/sort=username&order=desc/);
    await expect(page.getByRole("columnheader", { name: /Username/ })).toHaveAttribute("aria-sort", "descending");
    const descending = await page.locator("tbody tr td:first-child").allTextContents();
    expect(descending.length).toBeGreaterThan(1);
    expect(descending).toEqual([...descending].sort().reverse());
    await page.getByRole("link", { name: /Username/ }).click();
    await expect(page).toHaveURL(/sort=username&order=asc/);
    await expect(page.getByRole("columnheader", { name: /Username/ })).toHaveAttribute("aria-sort", "ascending");
    const ascending = await page.locator("tbody tr td:first-child").allTextContents();
    expect(ascending).toEqual([...ascending].sort());
    expect(ascending[0]).not.toBe(descending[0]);
  });
});

test.describe("user detail page as anyone else", () => {
  test("a normal user gets 403 and no data; signed out, a redirect to login", async ({ browser, request }) => {
    const target = await createUser(request, "target");
    const asUser = await browser.newContext({ storageState: STORAGE.user });
    const userPage = await asUser.newPage();
    const response = await userPage.goto(`/admin/users/${target.id}`);
    expect(response?.status()).toBe(403);
    expect(await response?.text()).not.toContain(target.email);
    const overview = await userPage.goto("/admin/overview");
    expect(overview?.status()).toBe(403);
    expect(await overview?.text()).not.toContain("Failed sign-ins, last 24 hours");
    await asUser.close();

    const anonymous = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const anonymousPage = await anonymous.newPage();
    await anonymousPage.goto(`/admin/users/${target.id}`);
    await expect(anonymousPage).toHaveURL(/\/login\?callbackUrl=%2Fadmin%2Fusers%2F/);
    await anonymous.close();
  });
});

test.describe("admin actions replayed by others", () => {
  test.use({ storageState: STORAGE.admin });

  test("a lock and a delete posted with a normal user's session, or none, change nothing", async ({
    page,
    browser,
    request,
    javaScriptEnabled,
  }) => {
    test.skip(javaScriptEnabled, "reads the server-action fields from the page as rendered without JavaScript");
    const target = await createUser(request, "victim");
    await page.goto(`/admin/users/${target.id}`);
    const fieldsOf = (button: string) =>
      page
        .locator("form", { has: page.getByRole("button", { name: button, exact: true }) })
        .evaluate((form: HTMLFormElement) => Object.fromEntries([...new FormData(form)].map(([key, value]) => [key, String(value)])));
    const lock = await fieldsOf("Lock account");
    const remove = { ...(await fieldsOf("Delete user")), confirmation: target.username };
    expect(Object.keys(lock).some((key) => key.startsWith("$ACTION"))).toBe(true);

    const asUser = await browser.newContext({ storageState: STORAGE.user });
    const anonymous = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    for (const context of [asUser, anonymous]) {
      for (const fields of [lock, remove]) {
        const response = await context.request.post(`/admin/users/${target.id}`, {
          multipart: fields,
          headers: { Origin: new URL(page.url()).origin },
          maxRedirects: 0,
        });
        expect([303, 307, 403, 404]).toContain(response.status());
        expect(response.headers().location ?? "").not.toContain("notice=user-");
      }
    }
    await asUser.close();
    await anonymous.close();

    // Still there, still able to sign in: neither the lock nor the delete happened.
    const token = await request.post("/api/v1/auth/token", { data: { identifier: target.username, password: target.password } });
    expect(token.status()).toBe(200);
    await page.goto(`/admin/users/${target.id}`);
    await expect(page.getByRole("button", { name: "Lock account" })).toBeVisible();
  });
});
