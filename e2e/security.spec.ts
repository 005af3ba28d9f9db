import { expect, test, type Page } from "@playwright/test";
import { BASE_URL } from "../playwright.config";
import { STORAGE, createUser, formAlert, logIn, signInAs, signedInDevice } from "./support/fixtures";

const SESSION_COOKIE = "authjs.session-token";

async function sessionCookie(page: Page) {
  return (await page.context().cookies()).find((cookie) => cookie.name === SESSION_COOKIE);
}

test.describe("sessions", () => {
  test("logging out ends the session on the server: a copied cookie stops working", async ({ page, browser, request }) => {
    const user = await createUser(request, "copied");
    await signInAs(page, user);
    const stolen = await browser.newContext();
    await stolen.addCookies(await page.context().cookies());
    const thief = await stolen.newPage();
    await thief.goto("/dashboard");
    await expect(thief.getByText(`Signed in as ${user.username}`)).toBeVisible();

    await page.getByRole("main").getByRole("button", { name: "Log out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    await thief.goto("/dashboard");
    await expect(thief).toHaveURL(/\/login\?callbackUrl=/);
    expect((await thief.request.get("/api/v1/me")).status()).toBe(401);
    await stolen.close();
  });

  test("the session cookie is HttpOnly, SameSite=Lax, Path=/, and new on every sign-in", async ({ page, request }) => {
    const user = await createUser(request, "cookie");
    // A cookie planted before sign-in (session fixation) is replaced, never adopted.
    await page.context().addCookies([{ name: SESSION_COOKIE, value: "planted-by-an-attacker", url: BASE_URL }]);
    await signInAs(page, user);
    const first = await sessionCookie(page);
    expect(first).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/", secure: false });
    expect(first?.value).not.toBe("planted-by-an-attacker");
    expect(first!.expires).toBeGreaterThan(Date.now() / 1000);

    await page.getByRole("main").getByRole("button", { name: "Log out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    await signInAs(page, user);
    expect((await sessionCookie(page))?.value).not.toBe(first?.value);
  });

  test("an admin lock signs the user out everywhere and refuses their password like any wrong one", async ({
    page,
    browser,
    request,
  }) => {
    const user = await createUser(request, "lockme");
    const device = await signedInDevice(browser, user);
    const admin = await browser.newContext({ storageState: STORAGE.admin });
    const adminPage = await admin.newPage();
    await adminPage.goto(`/admin?query=${user.username}`);
    await adminPage.getByRole("button", { name: `Lock ${user.username}`, exact: true }).click();
    await expect(adminPage.getByText("User locked")).toBeVisible();

    await device.page.goto("/dashboard");
    await expect(device.page).toHaveURL(/\/login\?callbackUrl=/);
    await logIn(page, user.username, user.password);
    await expect(formAlert(page)).toHaveText("Invalid email/username or password");

    await adminPage.goto(`/admin?query=${user.username}`);
    await adminPage.getByRole("button", { name: `Unlock ${user.username}`, exact: true }).click();
    await expect(adminPage.getByText("User unlocked")).toBeVisible();
    await signInAs(page, user);
    await device.context.close();
    await admin.close();
  });
});

test.describe("login throttling", () => {
  test("after 5 wrong passwords even the right one is refused until the back-off ends or an admin clears it", async ({
    page,
    browser,
    request,
  }) => {
    const user = await createUser(request, "throttled");
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      await logIn(page, user.username, `wrong password number ${attempt} here`);
      await expect(formAlert(page)).toHaveText("Invalid email/username or password");
    }
    await logIn(page, user.username, user.password);
    await expect(formAlert(page)).toContainText("Too many attempts. Try again in");
    await expect(page).toHaveURL(/\/login/);

    const admin = await browser.newContext({ storageState: STORAGE.admin });
    const adminPage = await admin.newPage();
    await adminPage.goto(`/admin?query=${user.username}`);
    await expect(adminPage.getByRole("cell", { name: /Backing off/ })).toBeVisible();
    await adminPage.getByRole("button", { name: `Clear back-off for ${user.username}` }).click();
    await expect(adminPage.getByText("Sign-in back-off cleared.")).toBeVisible();
    await admin.close();

    await signInAs(page, user);
  });
});

test.describe("headers", () => {
  test("pages carry a nonce-based CSP that changes per request and the other security headers", async ({ request }) => {
    const first = await request.get("/login");
    const second = await request.get("/login");
    const policy = first.headers()["content-security-policy"];
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    expect(nonce).toBeTruthy();
    expect(second.headers()["content-security-policy"]).not.toContain(nonce);
    expect(policy).toMatch(/script-src [^;]*'nonce-/);
    expect(policy).not.toContain("unsafe-inline");
    expect(policy).toContain("frame-ancestors 'none'");
    const html = await first.text();
    // Every script Next.js rendered carries this response's nonce.
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    for (const response of [first, await request.get("/api/health"), await request.get("/api/v1/openapi.json")]) {
      const headers = response.headers();
      expect(headers["x-content-type-options"]).toBe("nosniff");
      expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
      expect(headers["permissions-policy"]).toContain("camera=()");
      expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
      // Served over plain http here: HSTS is for https only.
      expect(headers["strict-transport-security"]).toBeUndefined();
    }
    expect((await request.get("/reset-password?token=x")).headers()["referrer-policy"]).toBe("same-origin");
  });

  test("the pages run without a single CSP violation", async ({ page, request, javaScriptEnabled }) => {
    test.skip(!javaScriptEnabled, "violations are reported by running scripts");
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    const user = await createUser(request, "csp");
    await page.goto("/");
    await page.goto("/signup");
    await signInAs(page, user);
    await page.goto("/account");
    await expect(page.getByRole("button", { name: "Change password" })).toBeVisible();
    expect(violations).toEqual([]);
  });
});

test.describe("cross-site requests", () => {
  test("a cross-site text/plain form post to a cookie-authenticated route changes nothing", async ({
    page,
    request,
    javaScriptEnabled,
  }) => {
    test.skip(!javaScriptEnabled, "the attacker's page submits its form with a script");
    const user = await createUser(request, "csrf");
    await signInAs(page, user);
    const attacker = "http://attacker.test";
    await page.route(`${attacker}/**`, (route) =>
      route.fulfill({
        contentType: "text/html",
        body: `<form id="f" method="post" enctype="text/plain" action="${BASE_URL}/api/v1/auth/revoke">
                 <input name='{"x":"' value='"}'></form><script>document.getElementById("f").submit()</script>`,
      }),
    );
    const posted = page.waitForResponse((response) => response.url().endsWith("/api/v1/auth/revoke"));
    await page.goto(`${attacker}/`);
    expect((await posted).status()).toBeGreaterThanOrEqual(400);
    await page.goto("/dashboard");
    await expect(page.getByText(`Signed in as ${user.username}`)).toBeVisible();
  });
});

test.describe("audit log", () => {
  test.describe("as an admin", () => {
    test.use({ storageState: STORAGE.admin });

    test("shows sign-in failures for a user, filterable by type, with the client address", async ({ page, browser, request }) => {
      const user = await createUser(request, "audited");
      const other = await browser.newContext({ storageState: { cookies: [], origins: [] } });
      await logIn(await other.newPage(), user.username, "definitely not the password");
      await other.close();

      await page.goto("/admin/audit");
      await page.getByLabel("User").fill(user.username);
      await page.getByLabel("Event type").selectOption("login.failure");
      await page.getByRole("button", { name: "Filter" }).click();
      await expect(page).toHaveURL(/type=login.failure/);
      const row = page.getByRole("row", { name: /login\.failure/ });
      await expect(row).toHaveCount(1);
      await expect(row).toContainText(user.username);
      await expect(row).toContainText("wrong password");
      await expect(row).toContainText(/127\.0\.0\.1|::1/);
      await expect(page.getByText("definitely not the password")).toHaveCount(0);
    });
  });

  test.describe("as a normal user", () => {
    test.use({ storageState: STORAGE.user });

    test("is forbidden and leaks nothing", async ({ page }) => {
      const response = await page.goto("/admin/audit?type=login.failure");
      expect(response?.status()).toBe(403);
      await expect(page.getByRole("table")).toHaveCount(0);
      expect(await response?.text()).not.toContain("login.failure</td>");
    });
  });
});

test.describe("redirect targets", () => {
  // Each is judged after URL normalisation; before it, `/.//evil.example/` looked like a path and left as `//evil.example/`.
  const DOT_SEGMENT_TARGETS = ["/.//evil.example/", "/..//evil.example/", "/%2e//evil.example/", "/%2E%2E//evil.example/", "/%2f%2fevil.example/"];
  // As an attacker's link carries them: raw in the query string, and encoded once more so the dots arrive encoded.
  const asQueryValues = (target: string) => [target, encodeURIComponent(target)];

  function expectSameOrigin(location: string | undefined) {
    expect(location).toBeTruthy();
    expect(new URL(location!, BASE_URL).origin).toBe(BASE_URL);
    expect(location!.replace(BASE_URL, "")).toMatch(/^\/(?![/\\])/);
  }

  test("a signed-in visitor on /login or /login/verify with a dot-segment callbackUrl stays on this origin", async ({ page, request }) => {
    await signInAs(page, await createUser(request, "dotsegment"));
    for (const target of DOT_SEGMENT_TARGETS) {
      for (const value of asQueryValues(target)) {
        for (const path of ["/login", "/login/verify"]) {
          const response = await page.request.get(`${path}?callbackUrl=${value}`, { maxRedirects: 0 });
          expect(response.status(), `${path}?callbackUrl=${value}`).toBeGreaterThanOrEqual(300);
          expect(response.status()).toBeLessThan(400);
          expectSameOrigin(response.headers().location);
        }
      }
    }
    await page.goto(`/login?callbackUrl=${DOT_SEGMENT_TARGETS[0]}`);
    await expect(page).toHaveURL(`${BASE_URL}/dashboard`);
  });

  test("/unavailable?from= with dot segments renders a same-origin 'Try again' link", async ({ page }) => {
    for (const target of DOT_SEGMENT_TARGETS) {
      for (const value of asQueryValues(target)) {
        await page.goto(`/unavailable?from=${value}`);
        expectSameOrigin(await page.getByRole("link", { name: "Try again" }).getAttribute("href") ?? undefined);
      }
    }
    await page.goto("/unavailable?from=%2Faccount%3Ftab%3D1");
    await expect(page.getByRole("link", { name: "Try again" })).toHaveAttribute("href", "/account?tab=1");
  });
});
