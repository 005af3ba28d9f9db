import { decodeJwt, decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { ACCESS_TOKEN_TTL_SECONDS, MAX_ACCESS_TOKEN_LENGTH, issueAccessToken, verifyAccessToken } from "./access-token";

describe("access tokens", () => {
  it("round-trip the user and session id", async () => {
    const token = await issueAccessToken({ userId: "user-1", sessionId: "session-3" });
    expect(decodeProtectedHeader(token).alg).toBe("HS256");
    const claims = decodeJwt(token);
    expect(claims.exp! - claims.iat!).toBe(ACCESS_TOKEN_TTL_SECONDS);
    expect(claims.jti).toEqual(expect.any(String));
    expect(await verifyAccessToken(token)).toEqual({ userId: "user-1", sessionId: "session-3" });
  });

  it("are unique per issue", async () => {
    const claims = { userId: "user-1", sessionId: "session-0" };
    expect(await issueAccessToken(claims)).not.toBe(await issueAccessToken(claims));
  });

  it("refuse junk and oversized input without throwing", async () => {
    expect(await verifyAccessToken("not-a-jwt")).toBeNull();
    expect(await verifyAccessToken("a".repeat(MAX_ACCESS_TOKEN_LENGTH + 1))).toBeNull();
  });
});
