import { expect, test } from "@playwright/test";
import { ADMIN } from "../playwright.config";
import { readFileSync } from "node:fs";
import { STORAGE, createUser, logIn } from "./support/fixtures";

test.describe("admin dashboard", () => {
  test.use({ storageState: STORAGE.admin });

  test("lists, searches and pages through users, and changes a role", async ({ page, request }) => {
    const target = await createUser(request, "promote");
    await page.goto("/admin");
    await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();

    await page.getByLabel("Search users").fill(target.username);
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL(/query=/);
    const row = page.getByRole("row", { name: new RegExp(target.username) });
    await expect(row).toHaveCount(1);
    await expect(page.getByRole("row")).toHaveCount(2);

    await row.getByLabel(`Role of ${target.username}`).selectOption("ADMIN");
    await row.getByRole("button", { name: `Save role for ${target.username}` }).click();
    await expect(page.getByRole("main").getByRole("status")).toHaveText("Role updated.");
    await expect(page.getByRole("row", { name: new RegExp(target.username) }).getByLabel(`Role of ${target.username}`)).toHaveValue(
      "ADMIN",
    );

    await page.goto("/admin?pageSize=1");
    await expect(page.getByText(/Page 1 of \d+/)).toBeVisible();
    await page.getByRole("link", { name: "Next" }).click();
    await expect(page.getByText(/Page 2 of \d+/)).toBeVisible();
    await expect(page.getByRole("row")).toHaveCount(2);
  });

  test("deletes a user", async ({ page, request }) => {
    const target = await createUser(request, "remove");
    await page.goto(`/admin?query=${target.username}`);
    await page.getByRole("button", { name: `Delete ${target.username}` }).click();
    await expect(page.getByRole("main").getByRole("status")).toHaveText("User deleted.");
    await expect(page.getByText("No users found.")).toBeVisible();
  });

  test("the mail queue and the overview's mail counts are there, without a link from any mail", async ({ page }) => {
    await page.goto("/admin/mail");
    await expect(page.getByRole("heading", { name: "Mail queue" })).toBeVisible();
    await expect(page.getByRole("table", { name: "Mail queue" })).toBeVisible();
    expect(await page.content()).not.toMatch(/token=/);
    await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Overview" }).click();
    await expect(page.getByText("Mail failed, last 24 hours")).toBeVisible();
  });

  test("the admin cannot demote or delete themselves", async ({ page }) => {
    await page.goto(`/admin?query=${ADMIN.username}`);
    const row = page.getByRole("row", { name: new RegExp(ADMIN.email) });
    await expect(row.getByLabel(`Role of ${ADMIN.username}`)).toBeDisabled();
    await expect(row.getByRole("button", { name: /Delete/ })).toHaveCount(0);
  });
});

test.describe("admin pages as a normal user", () => {
  test.use({ storageState: STORAGE.user });

  for (const path of ["/admin", "/admin/", "/ADMIN", "/%61dmin", "/admin?query=admin", "/admin/../admin", "/admin/mail"]) {
    test(`${path} answers 403 (or not found) and shows no admin data`, async ({ page }) => {
      const response = await page.goto(path);
      expect([403, 404]).toContain(response!.status());
      const html = await page.content();
      expect(html).not.toContain(ADMIN.email);
      expect(html).not.toContain("Search users");
    });
  }

  test("proxy-bypass and spoofing headers change nothing", async ({ page }) => {
    const spoofing = {
      "x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy:middleware:middleware:middleware:middleware:middleware",
      "x-original-url": "/dashboard",
      "x-rewrite-url": "/dashboard",
      "x-forwarded-for": "127.0.0.1",
      "x-forwarded-host": "localhost",
      "x-real-ip": "127.0.0.1",
    };
    const pageResponse = await page.request.get("/admin", { headers: spoofing });
    expect(pageResponse.status()).toBe(403);
    expect(await pageResponse.text()).not.toContain(ADMIN.email);
    const apiResponse = await page.request.get("/api/v1/admin/users", { headers: spoofing });
    expect(apiResponse.status()).toBe(403);
    for (const path of ["/api/v1/admin/users/", "/api/v1/admin/users?query=admin", "/api/v1/admin//users"]) {
      const response = await page.request.get(path, { headers: spoofing });
      expect([403, 404]).toContain(response.status());
      expect(await response.text()).not.toContain(ADMIN.email);
    }
  });

  test("the RSC payload of /admin carries no admin data", async ({ page }) => {
    await page.goto("/dashboard");
    const response = await page.request.get("/admin", { headers: { RSC: "1" } });
    const payload = await response.text();
    expect(payload).toContain("Forbidden");
    expect(payload).not.toContain(ADMIN.email);
  });
});

test.describe("admin pages signed out", () => {
  test("redirect to login with the page as callback", async ({ page }) => {
    await page.goto("/admin?query=x");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fadmin%3Fquery%3Dx$/);
  });
});

test.describe("admin exports", () => {
  test("the users table's search and the audit log's filter download as CSV and JSON lines, and the export is audited", async ({ page, request }) => {
    const target = await createUser(request, "exported");
    // A fresh sign-in: every address leaves with an export, so it takes sudo mode.
    await logIn(page, ADMIN.email, ADMIN.password);
    await expect(page.getByText(`Signed in as ${ADMIN.username}`)).toBeVisible();
    await page.goto(`/admin?query=${target.username}`);
    const [users] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
    expect(users.suggestedFilename()).toMatch(/^users-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await users.path())!, "utf8").trimEnd().split("\r\n");
    expect(csv[0]).toBe("id,username,email,role,emailVerified,createdAt,lastLoginAt,locked,suspendedUntil,twoFactor");
    expect(csv).toHaveLength(2);
    expect(csv[1]).toContain(`,${target.username},${target.email},USER,`);

    await page.goto(`/admin/audit?type=export.users`);
    await expect(page.getByRole("row", { name: new RegExp(`export\\.users.*${ADMIN.username}`) }).first()).toBeVisible();
    const [events] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export JSON lines" }).click()]);
    expect(events.suggestedFilename()).toMatch(/^audit-\d{4}-\d{2}-\d{2}\.jsonl$/);
    const lines = readFileSync((await events.path())!, "utf8").trimEnd().split("\n").map((line) => JSON.parse(line));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((event) => event.type === "export.users")).toBe(true);
    expect(lines[0].detail).toEqual({ filter: { query: target.username, format: "csv" } });
  });

  test("a user who is not an admin gets no export", async ({ page, request }) => {
    const user = await createUser(request, "notadmin");
    await logIn(page, user.username, user.password);
    await expect(page.getByText(`Signed in as ${user.username}`)).toBeVisible();
    // With the browser's cookies, outside the page: Chromium shows no page for a body-less 403.
    const response = await page.request.get("/admin/users/export", { maxRedirects: 0 });
    expect(response.status()).toBe(403);
    expect(response.headers()["content-disposition"]).toBeUndefined();
    expect(await response.text()).not.toContain("username,email");
  });
});
