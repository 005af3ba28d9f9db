import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as signup } from "@/app/api/v1/auth/signup/route";
import { MAX_BODY_BYTES } from "@/lib/http/body";
import { freshDatabase, type TestDatabase } from "../support/database";
import { PASSWORD, leaksInternals, noContext, request, uniqueName } from "../support/http";

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database.dispose();
});

const post = (init: Parameters<typeof request>[1]) => signup(request("/api/v1/auth/signup", { method: "POST", ...init }), noContext);

describe("POST /api/v1/auth/signup", () => {
  it("creates a user with normalised username and email, and never returns the hash", async () => {
    const names = uniqueName("Norm");
    const response = await post({ json: { username: names.username.toUpperCase(), email: `  ${names.email.toUpperCase()} `, password: PASSWORD } });
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(body).toEqual({
      user: {
        id: expect.any(String),
        username: names.username.toLowerCase(),
        email: names.email.toLowerCase(),
        role: "USER",
        emailVerified: false,
        createdAt: expect.any(String),
      },
    });
    expect(JSON.stringify(body)).not.toMatch(/\$2b\$|passwordHash/);
    const stored = await database.prisma.user.findUniqueOrThrow({ where: { id: body.user.id } });
    expect(stored.passwordHash).toMatch(/^\$2b\$12\$/);
  });

  it("answers 409 account_exists for a taken email or username, whatever the case", async () => {
    const names = uniqueName("dup");
    expect((await post({ json: { ...names, password: PASSWORD } })).status).toBe(201);
    const sameEmail = await post({ json: { username: uniqueName().username, email: names.email.toUpperCase(), password: PASSWORD } });
    expect(sameEmail.status).toBe(409);
    expect((await sameEmail.json()).error.code).toBe("account_exists");
    const sameUsername = await post({ json: { username: names.username.toUpperCase(), email: uniqueName().email, password: PASSWORD } });
    expect(sameUsername.status).toBe(409);
  });

  it("lets exactly one of several concurrent signups with the same email win", async () => {
    const { email } = uniqueName("race");
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => post({ json: { username: uniqueName("racer").username, email, password: PASSWORD } })),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409]);
    expect(await database.prisma.user.count({ where: { email } })).toBe(1);
  });

  it("rejects mass assignment of role, id and emailVerified", async () => {
    const names = uniqueName("mass");
    const response = await post({ json: { ...names, password: PASSWORD, role: "ADMIN", id: "x", emailVerified: true } });
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.code).toBe("validation_error");
    expect(Object.keys(error.fields).sort()).toEqual(["emailVerified", "id", "role"]);
    expect(await database.prisma.user.count({ where: { email: names.email } })).toBe(0);
  });

  it("returns every field error at once", async () => {
    const response = await post({ json: { username: "a!", email: "nope", password: "short" } });
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(Object.keys(error.fields).sort()).toEqual(["email", "password", "username"]);
  });

  it("applies the password policy: length in code points, blocklist, context words", async () => {
    const names = uniqueName("policy");
    const cases: [string, RegExp][] = [
      ["passwordpassword", /too common/],
      [`${names.username} is my password`, /must not contain/],
      ["🔑".repeat(14), /at least 15/],
      ["x".repeat(129), /at most 128/],
    ];
    for (const [password, message] of cases) {
      const response = await post({ json: { ...names, password } });
      expect(response.status).toBe(400);
      expect((await response.json()).error.fields.password.join(" ")).toMatch(message);
    }
    expect((await post({ json: { ...names, password: "🔑".repeat(15) } })).status).toBe(201);
  });

  describe("bad input never gives a 500 or leaks internals", () => {
    const cases: [string, Parameters<typeof request>[1], number, string][] = [
      ["malformed JSON", { body: "{\"username\":", headers: { "content-type": "application/json" } }, 400, "invalid_json"],
      ["no content type", { body: "{}" }, 415, "unsupported_media_type"],
      ["text/plain", { body: "{}", headers: { "content-type": "text/plain" } }, 415, "unsupported_media_type"],
      ["form encoding", { body: "a=b", headers: { "content-type": "application/x-www-form-urlencoded" } }, 415, "unsupported_media_type"],
      ["an array", { json: [1, 2] }, 400, "validation_error"],
      ["null", { json: null }, 400, "validation_error"],
      ["a string", { json: "hello" }, 400, "validation_error"],
      ["wrong types", { json: { username: 5, email: ["a"], password: { x: 1 } } }, 400, "validation_error"],
      ["an empty body", { body: "", headers: { "content-type": "application/json" } }, 400, "invalid_json"],
      ["deep nesting", { body: `${"[".repeat(5000)}${"]".repeat(5000)}`, headers: { "content-type": "application/json" } }, 400, "validation_error"],
      ["a body over 16 KB", { json: { username: "a", email: "b", password: "x".repeat(MAX_BODY_BYTES) } }, 413, "payload_too_large"],
    ];
    it.each(cases)("%s", async (_name, init, status, code) => {
      const response = await post(init);
      expect(response.status).toBe(status);
      const text = await response.text();
      expect(JSON.parse(text).error.code).toBe(code);
      expect(leaksInternals(text)).toBe(false);
    });

    it("a streamed body over 16 KB without Content-Length", async () => {
      const chunk = new TextEncoder().encode("x".repeat(4096));
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ < 10) controller.enqueue(chunk);
          else controller.close();
        },
      });
      const response = await post({ body, headers: { "content-type": "application/json" } });
      expect(response.status).toBe(413);
    });
  });
});
