import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { assertSameOrigin, authenticateRequest } from "./authenticate";
import { ApiError } from "@/lib/errors";

// The cookie path asks Auth.js for the session; here it answers with a signed-in session (or none), so that every
// check after it is reached on its own.
const session = vi.hoisted(() => ({ current: null as unknown }));
vi.mock("@/auth", () => ({ auth: async () => session.current }));

const SIGNED_IN = { sessionId: "s1", user: { id: "u1", username: "alice", email: "alice@example.com", role: "USER" } };
const ORIGIN = "http://localhost:3000";

function post(headers: Record<string, string>, url = `${ORIGIN}/api/v1/auth/revoke`, method = "POST"): Request {
  return new Request(url, { method, headers });
}

async function statusOf(run: () => unknown): Promise<number | "ok"> {
  try {
    await run();
    return "ok";
  } catch (error) {
    if (error instanceof ApiError) return error.status;
    throw error;
  }
}

describe("assertSameOrigin", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    resetEnvCache();
  });

  it("refuses a browser's cross-site or same-site request whatever its Origin says", async () => {
    for (const site of ["cross-site", "same-site"]) {
      expect(await statusOf(() => assertSameOrigin(post({ "sec-fetch-site": site, origin: ORIGIN })))).toBe(403);
      expect(await statusOf(() => assertSameOrigin(post({ "sec-fetch-site": site })))).toBe(403);
    }
  });

  it("compares Origin even when Sec-Fetch-Site says same-origin or is missing", async () => {
    for (const site of [{ "sec-fetch-site": "same-origin" }, { "sec-fetch-site": "none" }, {}] as Record<string, string>[]) {
      expect(await statusOf(() => assertSameOrigin(post({ ...site, origin: "https://evil.example" })))).toBe(403);
      // Same host, other scheme or port: another origin.
      expect(await statusOf(() => assertSameOrigin(post({ ...site, origin: "https://localhost:3000" })))).toBe(403);
      expect(await statusOf(() => assertSameOrigin(post({ ...site, origin: "http://localhost:3001" })))).toBe(403);
      expect(await statusOf(() => assertSameOrigin(post({ ...site, origin: ORIGIN })))).toBe("ok");
    }
  });

  it("lets a request without either header through (not a browser's cross-site request)", async () => {
    expect(await statusOf(() => assertSameOrigin(post({})))).toBe("ok");
  });

  it("takes the public origin (AUTH_URL) and the Host header's origin as ours, nothing else", async () => {
    vi.stubEnv("AUTH_URL", "https://latchkey.example/base");
    resetEnvCache();
    const internal = "http://10.0.0.5:3000/api/v1/auth/revoke";
    expect(await statusOf(() => assertSameOrigin(post({ origin: "https://latchkey.example" }, internal)))).toBe("ok");
    expect(await statusOf(() => assertSameOrigin(post({ origin: "https://other.example" }, internal)))).toBe(403);
    expect(await statusOf(() => assertSameOrigin(post({ origin: "http://proxy.example", host: "proxy.example" }, internal)))).toBe("ok");
    expect(await statusOf(() => assertSameOrigin(post({ origin: "https://proxy.example", host: "proxy.example" }, internal)))).toBe(403);
  });
});

describe("authenticateRequest with the session cookie", () => {
  beforeEach(() => {
    session.current = SIGNED_IN;
  });

  it("answers a safe method from any site: reading is not a state change", async () => {
    const caller = await authenticateRequest(post({ "sec-fetch-site": "cross-site", origin: "https://evil.example" }, `${ORIGIN}/api/v1/me`, "GET"), null);
    expect(caller).toEqual({ user: SIGNED_IN.user, via: "session", sessionId: "s1" });
  });

  it("refuses a state change from another origin, by Sec-Fetch-Site or by Origin alone", async () => {
    const json = { "content-type": "application/json" };
    expect(await statusOf(() => authenticateRequest(post({ ...json, "sec-fetch-site": "cross-site" }), null))).toBe(403);
    expect(await statusOf(() => authenticateRequest(post({ ...json, origin: "https://evil.example" }), null))).toBe(403);
    expect(await statusOf(() => authenticateRequest(post({ ...json, "sec-fetch-site": "same-origin", origin: "https://evil.example" }), null))).toBe(403);
    expect(await statusOf(() => authenticateRequest(post({ ...json, "sec-fetch-site": "same-origin", origin: ORIGIN }), null))).toBe("ok");
  });

  it("takes a cookie-carried state change only as JSON (a form or text/plain post needs no preflight), DELETE without a body", async () => {
    const ours = { "sec-fetch-site": "same-origin", origin: ORIGIN };
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      expect(await statusOf(() => authenticateRequest(post({ ...ours, "content-type": type }), null))).toBe(415);
    }
    expect(await statusOf(() => authenticateRequest(post(ours), null))).toBe(415);
    expect(await statusOf(() => authenticateRequest(post(ours, `${ORIGIN}/api/v1/me/api-keys/k1`, "DELETE"), null))).toBe("ok");
    expect(await statusOf(() => authenticateRequest(post({ "sec-fetch-site": "cross-site" }, `${ORIGIN}/api/v1/me/api-keys/k1`, "DELETE"), null))).toBe(403);
  });

  it("is 401 without a session, and 503 when the session could not be checked", async () => {
    session.current = null;
    expect(await statusOf(() => authenticateRequest(post({}, `${ORIGIN}/api/v1/me`, "GET"), null))).toBe(401);
    session.current = { sessionId: "s1", user: { ...SIGNED_IN.user, unverified: true } };
    expect(await statusOf(() => authenticateRequest(post({}, `${ORIGIN}/api/v1/me`, "GET"), null))).toBe(503);
  });

  it("never falls back to the cookie when an Authorization header is malformed", async () => {
    for (const header of ["Basic abc", "Bearer", "Bearer a b", "bearer abc"]) {
      expect(await statusOf(() => authenticateRequest(post({ authorization: header }, `${ORIGIN}/api/v1/me`, "GET"), null))).toBe(401);
    }
  });
});
