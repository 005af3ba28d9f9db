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
