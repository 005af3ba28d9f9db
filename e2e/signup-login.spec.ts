import { expect, test } from "@playwright/test";
import { PASSWORD, createUser, formAlert, logIn, uniqueUser } from "./support/fixtures";

test.describe("signup and login", () => {
  test("a new user signs up, logs out, and logs back in with username and with email", async ({ page }) => {
    const user = uniqueUser("signup");
    await page.goto("/");
    await page.getByRole("link", { name: "Sign up" }).first().click();
    await expect(page).toHaveURL(/\/signup$/);
    await page.getByLabel("Username").fill(user.username);
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password", { exact: true }).fill(user.password);
    await page.getByRole("button", { name: "Create account" }).click();

    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByText(`Signed in as ${user.username}`)).toBeVisible();

    await page.getByRole("main").getByRole("button", { name: "Log out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto("/dashboard");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fdashboard$/);

    await logIn(page, user.username.toUpperCase(), user.password);
    await expect(page.getByText(`Signed in as ${user.username}`)).toBeVisible();
    await page.getByRole("main").getByRole("button", { name: "Log out" }).click();
    await expect(page).toHaveURL(/\/login$/);

    await logIn(page, user.email, user.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByText(`Signed in as ${user.username}`)).toBeVisible();
  });

  test("signup shows every field error next to its field and keeps safe values", async ({ page }) => {
    await page.goto("/signup");
    await page.getByLabel("Username").fill("x");
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel("Password", { exact: true }).fill("short");
    await page.getByRole("button", { name: "Create account" }).click();

    for (const [label, message] of [
      ["Username", "at least 3 characters"],
      ["Email", "valid email"],
      ["Password", "at least 15 characters"],
    ] as const) {
      const input = page.getByLabel(label, { exact: true });
      await expect(input).toHaveAttribute("aria-invalid", "true");
      const describedBy = (await input.getAttribute("aria-describedby"))!.split(" ");
      await expect(page.locator(`[id="${describedBy.at(-1)}"]`)).toContainText(message);
    }
    await expect(page.getByLabel("Email")).toHaveValue("not-an-email");
    await expect(page).toHaveURL(/\/signup$/);
  });

  test("with JavaScript the login form checks itself before posting, and loads its checks only once it is used", async ({ page, javaScriptEnabled }) => {
    test.skip(!javaScriptEnabled, "the checks in the browser need JavaScript");
    const scripts: string[] = [];
    page.on("response", async (response) => {
      if (response.request().resourceType() === "script") scripts.push(await response.text().catch(() => ""));
    });
    const posts: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST") posts.push(request.url());
    });
    await page.goto("/login");
    await expect(page.getByRole("button", { name: "Log in" })).toBeEnabled();
    await page.waitForLoadState("networkidle");
    expect(scripts.some((body) => body.includes("ZodError")), "zod came with the page").toBe(false);

    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByText("Email or username is required")).toBeVisible();
    await expect(page.getByText("Password is required")).toBeVisible();
    expect(scripts.some((body) => body.includes("ZodError")), "zod was loaded when the form was used").toBe(true);
    expect(posts, "an empty form never reached the server").toEqual([]);
  });

  test("with JavaScript, a login form whose checks can't be loaded still posts, and the server answers", async ({ page, javaScriptEnabled }) => {
    test.skip(!javaScriptEnabled, "the checks in the browser need JavaScript");
    await page.goto("/login");
    await expect(page.getByRole("button", { name: "Log in" })).toBeEnabled();
    await page.waitForLoadState("networkidle");
    // Every script asked for from now on fails, as after a new deployment or on a broken connection.
    await page.route("**/_next/static/chunks/**", (route) => route.abort());
    const posted = page.waitForRequest((request) => request.method() === "POST");
    await page.getByRole("button", { name: "Log in" }).click();
    await posted;
    await expect(page.getByText("Email or username is required")).toBeVisible();
  });

  test("signup refuses a breached password and a password containing the username", async ({ page }) => {
    const user = uniqueUser("policy");
    await page.goto("/signup");
    await page.getByLabel("Username").fill(user.username);
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password", { exact: true }).fill("passwordpassword");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText("too common")).toBeVisible();

    await page.getByLabel("Password", { exact: true }).fill(`my name is ${user.username}!`);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText("must not contain your username")).toBeVisible();
    await expect(page).toHaveURL(/\/signup$/);
  });

  test("an email that is already registered is refused", async ({ page, request }) => {
    const existing = await createUser(request, "taken");
    await page.goto("/signup");
    await page.getByLabel("Username").fill(uniqueUser().username);
    await page.getByLabel("Email").fill(existing.email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(formAlert(page)).toContainText("already exists");
  });

  test("a failed login is generic and never echoes the password", async ({ page, request }) => {
    const user = await createUser(request, "fail");
    for (const identifier of [user.username, uniqueUser("nobody").username]) {
      await logIn(page, identifier, "wrong password for this account");
      await expect(formAlert(page)).toHaveText("Invalid email/username or password");
      expect(await page.content()).not.toContain("wrong password for this account");
    }
  });

  test("login honours a safe callbackUrl and ignores an unsafe one", async ({ page, request }) => {
    const user = await createUser(request, "callback");
    await page.goto("/account");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Faccount$/);
    await logIn(page, user.username, user.password, page.url().replace(/^https?:\/\/[^/]+/, ""));
    await expect(page).toHaveURL(/\/account$/);
    await page.getByRole("button", { name: "Log out" }).first().click();
    // A navigation before the sign-out lands would abort it, and /login would send the still-signed-in browser on.
    await expect(page).toHaveURL(/\/login$/);

    for (const evil of ["//evil.example/", "/\\evil.example", "https://evil.example/", "https:evil.example", "javascript:alert(1)"]) {
      await logIn(page, user.username, user.password, `/login?callbackUrl=${encodeURIComponent(evil)}`);
      await expect(page).toHaveURL(/localhost:\d+\/dashboard$/);
      await page.getByRole("main").getByRole("button", { name: "Log out" }).click();
      await expect(page).toHaveURL(/\/login$/);
    }
  });
});
