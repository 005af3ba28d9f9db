import { vi } from "vitest";

// Route handlers are called directly here, outside a Next request: the cookie session is not available,
// so every request in these tests authenticates with a bearer token (or not at all).
vi.mock("@/auth", () => ({
  auth: async () => null,
  signIn: async () => {
    throw new Error("signIn is not available in integration tests");
  },
  signOut: async () => {},
  handlers: {},
}));

// What a browser's cookie jar would hold, behind next/headers' cookies(), for the code that Auth.js's callbacks run
// outside a Next request here (the device cookie of a sign-in). One jar per test file: every sign-in in a file comes
// from the same browser unless the test forgets the jar.
const browserCookies = vi.hoisted(() => new Map<string, string>());
export function forgetBrowserCookies(): void {
  browserCookies.clear();
}
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "user-agent": "vitest" }),
  cookies: async () => ({
    get: (name: string) => (browserCookies.has(name) ? { name, value: browserCookies.get(name)! } : undefined),
    set: (name: string, value: string) => void browserCookies.set(name, value),
    delete: (name: string | { name: string }) => void browserCookies.delete(typeof name === "string" ? name : name.name),
  }),
}));
