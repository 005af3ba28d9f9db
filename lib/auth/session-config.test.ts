import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./session-config";

describe("safeCallbackPath", () => {
  it.each([
    ["/account", "/account"],
    ["/admin?query=a%20b&page=2", "/admin?query=a%20b&page=2"],
    ["/dashboard#top", "/dashboard#top"],
  ])("keeps the same-origin path %s", (input, expected) => {
    expect(safeCallbackPath(input)).toBe(expected);
  });

  it.each([
    "//evil.example",
    "/\\evil.example",
    "https:evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "/\tevil",
    "",
    undefined,
    42,
    `/${"a".repeat(3000)}`,
  ])("sends %s to the dashboard", (input) => {
    expect(safeCallbackPath(input)).toBe("/dashboard");
  });
});
