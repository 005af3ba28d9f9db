import { describe, expect, it } from "vitest";
import { DEFAULT_REDIRECT_PATH, safeRedirectPath } from "./redirect-target";

describe("safeRedirectPath", () => {
  it.each([
    ["/account", "/account"],
    ["/ok?x=1#y", "/ok?x=1#y"],
    ["/admin?query=a%20b&page=2", "/admin?query=a%20b&page=2"],
    ["/dashboard#top", "/dashboard#top"],
    ["/login?callbackUrl=%2F%2Fevil.example", "/login?callbackUrl=%2F%2Fevil.example"],
    ["/a/./b/../c", "/a/c"],
    ["/a b", "/a%20b"],
  ])("keeps the same-origin path %j as %j", (input, expected) => {
    expect(safeRedirectPath(input)).toBe(expected);
  });

  it.each([
    // Dot segments that normalise to a protocol-relative URL.
    "/.//evil.example/",
    "/..//evil.example/",
    "/%2e//evil.example/",
    "/%2E%2E//evil.example/",
    "/%2e%2e//evil.example/",
    "/.%2e//evil.example/",
    "/a/../..//evil.example",
    "/a/%2e%2e/%2e%2e//evil.example",
    "/./\\evil.example",
    // Separators that a decoding hop would turn into `//` or `/\`.
    "/%2f%2fevil.example",
    "/%2F%2Fevil.example",
    "/%5cevil.example",
    "/%5C%5Cevil.example",
    // Control characters that the URL parser would silently drop.
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/ok\tpath",
    "/ok\npath",
    "/\u0000evil",
    "/\u007fevil",
    // Other hosts and schemes.
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "https://evil.example/",
    "http:/evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " /account",
    "account",
    "",
    `/${"a".repeat(3000)}`,
    undefined,
    null,
    42,
    ["/account"],
  ])("sends %j to the fallback", (input) => {
    expect(safeRedirectPath(input)).toBe(DEFAULT_REDIRECT_PATH);
    expect(safeRedirectPath(input, "/")).toBe("/");
  });

  it("never returns a target that a browser reads as another host", () => {
    const prefixes = ["/", "/.", "/..", "/%2e", "/%2E%2E", "/a/..", "/./", "/%2e%2e/"];
    const middles = ["/", "//", "\\", "/\\", "%2f", "%5c", "\t/", "/./"];
    for (const prefix of prefixes) {
      for (const middle of middles) {
        const target = safeRedirectPath(`${prefix}${middle}evil.example/path`);
        expect(new URL(target, "https://latchkey.example").origin).toBe("https://latchkey.example");
        expect(target).toMatch(/^\/(?![/\\])/);
      }
    }
  });
});

describe("safeRedirectPath on what the URL parser can't take or makes of it (found by mutation testing)", () => {
  it("falls back for a candidate the parser refuses, and for one that normalises into an unparseable host", () => {
    expect(safeRedirectPath("//[")).toBe(DEFAULT_REDIRECT_PATH);
    // Normalised to "//[", which parsed again throws: refused before anything parses it again.
    expect(safeRedirectPath("/.//[")).toBe(DEFAULT_REDIRECT_PATH);
    expect(safeRedirectPath("/%2e//[x")).toBe(DEFAULT_REDIRECT_PATH);
  });
});

describe("safeRedirectPath length bounds (found by mutation testing)", () => {
  it("takes a target of exactly 2048 characters, before and after normalising, and nothing longer", () => {
    const longest = `/${"a".repeat(2047)}`;
    expect(safeRedirectPath(longest)).toBe(longest);
    expect(safeRedirectPath(`${longest}a`)).toBe(DEFAULT_REDIRECT_PATH);
  });

  it("measures the candidate before normalising: dot segments can make a too long one short", () => {
    const candidate = `/${"a/../".repeat(410)}${"b".repeat(40)}`;
    expect(candidate.length).toBeGreaterThan(2048);
    expect(safeRedirectPath(candidate)).toBe(DEFAULT_REDIRECT_PATH);
    expect(safeRedirectPath(`/${"a/../".repeat(300)}${"b".repeat(40)}`)).toBe(`/${"b".repeat(40)}`);
  });

  it("measures the normalised target too: percent-encoding can make a short candidate too long", () => {
    // Each "é" becomes "%C3%A9": 401 characters in, 2401 out.
    expect(safeRedirectPath(`/${"é".repeat(400)}`)).toBe(DEFAULT_REDIRECT_PATH);
    expect(safeRedirectPath(`/${"é".repeat(300)}`)).toBe(`/${"%C3%A9".repeat(300)}`);
  });
});
