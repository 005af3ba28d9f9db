import { expect, test } from "@playwright/test";
import { BASE_URL } from "../playwright.config";
import { createUser } from "./support/fixtures";

test("/docs/api shows every endpoint with a curl example, and the interactive reference from this origin only", async ({
  page,
  javaScriptEnabled,
}) => {
  const foreign: string[] = [];
  const violations: string[] = [];
  page.on("request", (request) => {
    if (!request.url().startsWith(BASE_URL) && !request.url().startsWith("data:")) foreign.push(request.url());
  });
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.goto("/docs/api");
  await expect(page.getByRole("heading", { name: "API reference", level: 1 })).toBeVisible();
  const signup = page.getByRole("article").filter({ has: page.getByRole("heading", { name: "POST /api/v1/auth/signup" }) });
  await expect(signup.locator("code")).toContainText('curl -s -X POST "$B/api/v1/auth/signup"');
  // Every operation the OpenAPI document lists has its heading and a curl example, not just the two above.
  const spec = (await (await page.request.get("/api/v1/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
  const operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.keys(methods)
      .filter((method) => ["get", "post", "put", "patch", "delete"].includes(method))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
  expect(operations.length).toBeGreaterThan(10);
  for (const operation of operations) {
    const article = page.getByRole("article").filter({ has: page.getByRole("heading", { name: operation, exact: true }) });
    await expect(article, operation).toHaveCount(1);
    await expect(article.locator("code").first(), operation).toContainText("curl");
  }
  if (javaScriptEnabled) {
    await expect(page.locator(".swagger-ui .opblock").first()).toBeVisible();
    expect(await page.locator(".swagger-ui .opblock").count()).toBeGreaterThan(10);
  }
  expect(foreign).toEqual([]);
  expect(violations).toEqual([]);
});

test("Authorize on /docs/api gets a token with the OAuth2 password flow, and Try it out calls /me with it", async ({ page, request, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, "swagger-ui needs JavaScript");
  const user = await createUser(request, "swagger");
  await page.goto("/docs/api");
  await page.locator(".swagger-ui .btn.authorize").first().click();
  const oauth = page.locator(".auth-container").filter({ hasText: "OAuth2, password" });
  await oauth.locator("#oauth_username").fill(user.username);
  await oauth.locator("#oauth_password").fill(user.password);
  await oauth.getByRole("button", { name: "Apply given OAuth2 credentials" }).click();
  await expect(oauth.getByRole("button", { name: "Remove authorization" })).toBeVisible();
  await page.getByRole("button", { name: "Close" }).first().click();

  const me = page.locator("#operations-Account-getMe");
  await me.locator(".opblock-summary").click();
  await me.getByRole("button", { name: "Try it out" }).click();
  await me.getByRole("button", { name: "Execute" }).click();
  await expect(me.locator(".live-responses-table tbody .response-col_status").first()).toHaveText("200");
  await expect(me.locator(".live-responses-table .microlight").first()).toContainText(user.username);
});
