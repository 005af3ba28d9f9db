import { expect, test } from "@playwright/test";
import { ADMIN } from "../playwright.config";
import { STORAGE, createUser } from "./support/fixtures";

// API behaviour does not depend on the browser's JavaScript setting: run it once.
test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, "API tests run in the js project only");

test("a program signs up, gets a token (JSON and form), reads /me, and revokes", async ({ request }) => {
  const user = await createUser(request, "program");
  const json = await request.post("/api/v1/auth/token", { data: { identifier: user.username, password: user.password } });
  expect(json.status()).toBe(200);
  const body = await json.json();
  expect(body).toMatchObject({ token_type: "Bearer", expires_in: 900 });

  const form = await request.post("/api/v1/auth/token", {
    form: { grant_type: "password", username: user.email, password: user.password },
  });
  expect(form.status()).toBe(200);

  const me = await request.get("/api/v1/me", { headers: { Authorization: `Bearer ${body.access_token}` } });
  expect(await me.json()).toEqual({
    user: { id: user.id, username: user.username, email: user.email, role: "USER", emailVerified: false, createdAt: expect.any(String) },
  });

  const revoked = await request.post("/api/v1/auth/revoke", { headers: { Authorization: `Bearer ${body.access_token}` } });
  expect(revoked.status()).toBe(204);
  for (const token of [body.access_token, (await form.json()).access_token]) {
    const after = await request.get("/api/v1/me", { headers: { Authorization: `Bearer ${token}` } });
    expect(after.status()).toBe(401);
    expect(after.headers()["www-authenticate"]).toContain("Bearer");
  }
});

test.describe("admin API", () => {
  test("an admin token lists, updates and deletes users; a user token is refused", async ({ request }) => {
    const admin = (await (await request.post("/api/v1/auth/token", { data: { identifier: ADMIN.email, password: ADMIN.password } })).json()).access_token;
    const user = await createUser(request, "managed");
    const asAdmin = { Authorization: `Bearer ${admin}` };

    const list = await request.get(`/api/v1/admin/users?query=${user.username}&page=1&pageSize=5`, { headers: asAdmin });
    expect(await list.json()).toMatchObject({ page: 1, pageSize: 5, total: 1, users: [{ id: user.id }] });

    const userToken = (await (await request.post("/api/v1/auth/token", { data: { identifier: user.email, password: user.password } })).json()).access_token;
    const asUser = { Authorization: `Bearer ${userToken}` };
    expect((await request.get("/api/v1/admin/users", { headers: asUser })).status()).toBe(403);
    expect((await request.patch(`/api/v1/admin/users/${user.id}`, { headers: asUser, data: { role: "ADMIN" } })).status()).toBe(403);
    expect((await request.delete(`/api/v1/admin/users/${user.id}`, { headers: asUser })).status()).toBe(403);

    const patched = await request.patch(`/api/v1/admin/users/${user.id}`, { headers: asAdmin, data: { role: "ADMIN" } });
    expect((await patched.json()).user.role).toBe("ADMIN");
    // The role change is visible on the user's very next request, with the same token.
    expect((await request.get("/api/v1/admin/users", { headers: asUser })).status()).toBe(200);

    expect((await request.delete(`/api/v1/admin/users/${user.id}`, { headers: asAdmin })).status()).toBe(204);
    expect((await request.get("/api/v1/me", { headers: asUser })).status()).toBe(401);
    expect((await request.delete(`/api/v1/admin/users/${user.id}`, { headers: asAdmin })).status()).toBe(404);
  });
});

test.describe("session cookie on the API", () => {
  test.use({ storageState: STORAGE.user });

  test("GET /api/v1/me works with the browser session; a cross-site revoke is refused", async ({ page }) => {
    await page.goto("/dashboard");
    const me = await page.request.get("/api/v1/me");
    expect(me.status()).toBe(200);
    // Each check on its own: a foreign Origin with no Sec-Fetch-Site (older browsers), and Sec-Fetch-Site alone.
    // 403 `forbidden` (not 401) shows the cookie arrived and the origin check refused the request.
    for (const headers of [{ Origin: "https://evil.example" }, { "Sec-Fetch-Site": "cross-site" }] as Record<string, string>[]) {
      const crossSite = await page.request.post("/api/v1/auth/revoke", { headers: { ...headers, "Content-Type": "application/json" }, data: {} });
      expect(crossSite.status()).toBe(403);
      expect((await crossSite.json()).error.code).toBe("forbidden");
    }
    const textPlain = await page.request.post("/api/v1/auth/revoke", {
      headers: { "Content-Type": "text/plain" },
      data: "x",
    });
    expect(textPlain.status()).toBe(415);
    expect((await page.request.get("/api/v1/me")).status()).toBe(200);
  });
});
