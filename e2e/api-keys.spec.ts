import { expect, test } from "@playwright/test";
import { createUser, signInAs } from "./support/fixtures";

test("an API key is created on /account, shown once, works as a bearer, and stops working when revoked", async ({
  page,
  request,
}) => {
  const user = await createUser(request, "keys");
  await signInAs(page, user);
  await page.goto("/account");
  await page.getByLabel("Key name").fill("laptop script");
  await page.getByLabel("Expires").selectOption({ label: "In 30 days" });
  await page.getByRole("button", { name: "Create API key" }).click();
  const shown = page.getByLabel("Your new API key");
  await expect(shown).toHaveValue(/^lk_[0-9A-Za-z]{43}$/);
  const key = await shown.inputValue();

  const asKey = { Authorization: `Bearer ${key}` };
  const me = await request.get("/api/v1/me", { headers: asKey });
  expect(me.status()).toBe(200);
  expect((await me.json()).user.username).toBe(user.username);

  // Shown exactly once: a fresh visit lists the key by its prefix only.
  await page.goto("/account");
  await expect(page.getByLabel("Your new API key")).toHaveCount(0);
  const row = page.getByRole("row", { name: /laptop script/ });
  await expect(row).toContainText(`${key.slice(0, 11)}…`);
  expect(await page.content()).not.toContain(key);

  await row.getByRole("button", { name: "Revoke laptop script" }).click();
  await expect(page.getByText("API key revoked.")).toBeVisible();
  await expect(page.getByRole("row", { name: /laptop script/ })).toHaveCount(0);
  expect((await request.get("/api/v1/me", { headers: asKey })).status()).toBe(401);
});

test("a key's scopes are chosen on /account, only those the role allows, shown in the list and enforced", async ({ page, request }) => {
  const user = await createUser(request, "scopes");
  await signInAs(page, user);
  await page.goto("/account");
  const scopes = page.getByRole("group", { name: "Scopes" });
  await expect(scopes.getByRole("checkbox", { name: /^profile:read/ })).toBeChecked();
  await expect(scopes.getByRole("checkbox", { name: /^admin:/ })).toHaveCount(0);

  // None ticked: the same schema refuses it in the browser (with JavaScript) or on the server (without).
  await page.getByLabel("Key name").fill("nothing at all");
  await scopes.getByRole("checkbox", { name: /^profile:read/ }).uncheck();
  await page.getByRole("button", { name: "Create API key" }).click();
  await expect(page.getByText("Choose at least one scope")).toBeVisible();
  await expect(page.getByLabel("Your new API key")).toHaveCount(0);

  await page.getByLabel("Key name").fill("key lister");
  await scopes.getByRole("checkbox", { name: /^keys:manage/ }).check();
  await page.getByRole("button", { name: "Create API key" }).click();
  const shown = page.getByLabel("Your new API key");
  await expect(shown).toHaveValue(/^lk_/);
  const asKey = { Authorization: `Bearer ${await shown.inputValue()}` };

  await page.goto("/account");
  await expect(page.getByRole("row", { name: /key lister/ })).toContainText("keys:manage");
  await expect(page.getByRole("row", { name: /key lister/ })).not.toContainText("profile:read");
  expect((await request.get("/api/v1/api-keys", { headers: asKey })).status()).toBe(200);
  const refused = await request.get("/api/v1/me", { headers: asKey });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.code).toBe("insufficient_scope");
  expect(refused.headers()["www-authenticate"]).toContain('scope="profile:read"');
});
