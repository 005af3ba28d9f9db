import { describe, expect, it } from "vitest";
import { changePasswordSchema, loginSchema, passwordGrantSchema, signupSchema } from "./auth";
import { passwordLength } from "./fields";

const PASSWORD = "correct horse battery staple";

describe("signupSchema", () => {
  const schema = signupSchema(15);

  it("normalises username and email", () => {
    const parsed = schema.parse({ username: "  Alice_B-1 ", email: " ALICE@Example.COM ", password: PASSWORD });
    expect(parsed).toEqual({ username: "alice_b-1", email: "alice@example.com", password: PASSWORD });
  });

  it("applies NFKC to emails (full-width letters become ASCII)", () => {
    expect(schema.parse({ username: "bob", email: "ｂｏｂ@example.com", password: PASSWORD }).email).toBe("bob@example.com");
  });

  it.each(["ab", "a".repeat(33), "al ice", "alice!", "ålice"])("rejects the username %j", (username) => {
    expect(schema.safeParse({ username, email: "a@example.com", password: PASSWORD }).success).toBe(false);
  });

  it("counts password length in code points after NFKC, between the minimum and 128", () => {
    expect(passwordLength("🔑🔑")).toBe(2);
    expect(passwordLength("ﬁ")).toBe(2);
    const ok = (password: string) => schema.safeParse({ username: "carol", email: "c@example.com", password }).success;
    expect(ok("🔑".repeat(14))).toBe(false);
    expect(ok("🔑".repeat(15))).toBe(true);
    expect(ok("x".repeat(128))).toBe(true);
    expect(ok("x".repeat(129))).toBe(false);
  });

  it("honours a lower configured minimum", () => {
    expect(signupSchema(8).safeParse({ username: "dave", email: "d@example.com", password: "eightchr" }).success).toBe(true);
  });

  it("rejects passwords containing the username, the email's local part or the site name", () => {
    for (const password of ["my name is carol ok fine", "carol.smith is secure enough", "I love Latchkey so much!"]) {
      const result = schema.safeParse({ username: "carol", email: "carol.smith@example.com", password });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0].path).toEqual(["password"]);
    }
  });

  it("rejects unknown fields", () => {
    const result = schema.safeParse({ username: "erin", email: "e@example.com", password: PASSWORD, role: "ADMIN" });
    expect(result.success).toBe(false);
  });
});

describe("loginSchema and passwordGrantSchema", () => {
  it("accept any non-empty identifier and password within bounds", () => {
    expect(loginSchema.safeParse({ identifier: " alice ", password: "x" }).data).toEqual({ identifier: "alice", password: "x" });
    expect(loginSchema.safeParse({ identifier: "", password: "x" }).success).toBe(false);
    expect(loginSchema.safeParse({ identifier: "a", password: "x".repeat(1025) }).success).toBe(false);
  });

  it("require grant_type=password in the OAuth2 form", () => {
    expect(passwordGrantSchema.safeParse({ grant_type: "password", username: "a", password: "b" }).success).toBe(true);
    expect(passwordGrantSchema.safeParse({ grant_type: "implicit", username: "a", password: "b" }).success).toBe(false);
  });
});

describe("changePasswordSchema", () => {
  it("requires a new password that differs from the current one", () => {
    const schema = changePasswordSchema(15);
    expect(schema.safeParse({ currentPassword: PASSWORD, newPassword: PASSWORD }).success).toBe(false);
    expect(schema.safeParse({ currentPassword: "old", newPassword: PASSWORD }).success).toBe(true);
  });
});
