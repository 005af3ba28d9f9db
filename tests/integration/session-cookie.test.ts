import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_MAX_AGE_SECONDS } from "@/lib/services/session-config";
import { signInThroughAuthJs } from "../support/auth-js";
import { freshDatabase, type TestDatabase } from "../support/database";
import { PASSWORD, createUsersDirectly } from "../support/http";

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database.dispose();
});

describe("the session cookie Auth.js sets", () => {
  it("over http: HttpOnly, SameSite=Lax, Path=/, bounded lifetime, and a fresh value on every sign-in", async () => {
    const [user] = await createUsersDirectly(1, "cookie");
    const first = await signInThroughAuthJs("http://localhost:3000", user.username, PASSWORD);
    expect(first.sessionCookie).toMatch(/^authjs\.session-token=/);
    expect(first.sessionCookie).toMatch(/;\s*HttpOnly/i);
    expect(first.sessionCookie).toMatch(/;\s*SameSite=Lax/i);
    expect(first.sessionCookie).toMatch(/;\s*Path=\//i);
    expect(first.sessionCookie).not.toMatch(/;\s*Secure/i);
    const expires = Date.parse(/Expires=([^;]+)/i.exec(first.sessionCookie!)![1]);
    expect(expires - Date.now()).toBeLessThanOrEqual(SESSION_MAX_AGE_SECONDS * 1000 + 5000);
    expect(expires - Date.now()).toBeGreaterThan(SESSION_MAX_AGE_SECONDS * 1000 - 60_000);

    const second = await signInThroughAuthJs("http://localhost:3000", user.username, PASSWORD);
    expect(second.sessionCookie!.split(";")[0]).not.toBe(first.sessionCookie!.split(";")[0]);
    expect(await database.prisma.session.count({ where: { userId: user.id, kind: "BROWSER" } })).toBe(2);
  });

  it("over https: the __Secure- prefix and the Secure flag", async () => {
    const [user] = await createUsersDirectly(1, "secure");
    const { sessionCookie } = await signInThroughAuthJs("https://latchkey.example", user.username, PASSWORD);
    expect(sessionCookie).toMatch(/^__Secure-authjs\.session-token=/);
    expect(sessionCookie).toMatch(/;\s*Secure/i);
    expect(sessionCookie).toMatch(/;\s*HttpOnly/i);
  });

  it("a refused or throttled sign-in sets no session cookie and redirects without echoing the password", async () => {
    const [user] = await createUsersDirectly(1, "refused");
    for (let attempt = 0; attempt < 6; attempt += 1) {
      const { response, sessionCookie } = await signInThroughAuthJs("http://localhost:3000", user.username, "the wrong password");
      expect(sessionCookie).toBeUndefined();
      const location = response.headers.get("location") ?? "";
      expect(location).toMatch(/\/login\?/);
      expect(location).not.toContain("wrong");
      if (attempt === 5) expect(location).toContain("code=rate_limited");
    }
  });
});
