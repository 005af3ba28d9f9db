import { expect, test } from "@playwright/test";
import { createUser, logIn } from "./support/fixtures";

// docs/embedding.md: a page of your own app behind the same guard as /dashboard.
test("the example page sends a signed-out visitor to log in, and back to it afterwards", async ({ page, request }) => {
  const user = await createUser(request, "example");
  await page.goto("/examples/your-page");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fexamples%2Fyour-page$/);
  await logIn(page, user.username, user.password, "/login?callbackUrl=%2Fexamples%2Fyour-page");
  await expect(page).toHaveURL(/\/examples\/your-page$/);
  await expect(page.getByRole("heading", { name: "Your page" })).toBeVisible();
  await expect(page.getByText(`Hello, ${user.username}`)).toBeVisible();
  const hello = await page.request.get("/api/examples/hello");
  expect(hello.status()).toBe(200);
  expect(await hello.json()).toEqual({ message: `Hello, ${user.username}`, via: "session" });
});
