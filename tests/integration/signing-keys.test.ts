import { createPrivateKey, createPublicKey, sign } from "node:crypto";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET as jwksRoute } from "@/app/.well-known/jwks.json/route";
import { GET as metadataRoute } from "@/app/.well-known/oauth-authorization-server/route";
import { ACCESS_TOKEN_AUDIENCE, accessTokenIssuer, issueAccessToken, verifyAccessToken } from "@/lib/crypto/access-token";
import { isSealed, keyRing, openSecret } from "@/lib/crypto/secret-box";
import {
  ACCESS_TOKEN_TTL_SECONDS,
  KEY_ACTIVATION_DELAY_MS,
  KEY_SET_MAX_AGE_MS,
  RETIRED_KEY_PUBLISHED_MS,
  SIGNING_KEY_PURPOSE,
  UNKNOWN_KID_REFRESH_MS,
  forgetLoadedKeys,
  openSigningKey,
  rotateSigningKey,
  sealSigningKey,
  thumbprint,
} from "@/lib/crypto/signing-keys";
import { resetEnvCache } from "@/lib/env";
import { reencryptSecrets } from "@/lib/services/sealed-secrets";
import { freshDatabase, queriesDuring, testDatabaseKind, type TestDatabase } from "../support/database";

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
beforeEach(async () => {
  await database.prisma.signingKey.deleteMany();
  forgetLoadedKeys();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  resetEnvCache();
});
afterAll(async () => {
  await database.dispose();
});

const claims = { userId: "u1", sessionId: "s1", authTime: 1_700_000_000 };
const kidOf = (token: string) => decodeProtectedHeader(token).kid;
const keysTable = () => database.prisma.signingKey.findMany({ orderBy: { generation: "asc" } });
async function jwks(): Promise<{ keys: { kid: string }[] }> {
  return (await jwksRoute(new Request("http://localhost/.well-known/jwks.json"), {})).json();
}
/** Moves the clock (Date only: timers and the database's own clock run on) by `ms`. */
function advance(ms: number): void {
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + ms });
}

describe(`access token signing keys (${testDatabaseKind()})`, () => {
  it("many first issues at once, as instances starting together would, make exactly one key and all sign with it", async () => {
    const tokens = await Promise.all(
      Array.from({ length: 12 }, async (_, index) => {
        // Each caller starts as a fresh process would, with nothing read yet.
        if (index % 3 === 0) forgetLoadedKeys();
        return issueAccessToken(claims);
      }),
    );
    const rows = await keysTable();
    expect(rows).toHaveLength(1);
    expect(new Set(tokens.map(kidOf))).toEqual(new Set([rows[0].kid]));
    forgetLoadedKeys();
    for (const token of tokens) expect(await verifyAccessToken(token)).toEqual(claims);
  });

  it("keep the private key sealed at rest, and keys:reencrypt re-seals it with the first key", async () => {
    const token = await issueAccessToken(claims);
    const [row] = await keysTable();
    expect(row.kid).toBe(kidOf(token));
    expect(row.kid).toBe(thumbprint(row.publicKey));
    expect(isSealed(row.privateKey)).toBe(true);
    const pkcs8 = openSigningKey(row.privateKey);
    const privateKey = createPrivateKey({ key: Buffer.from(pkcs8, "base64url"), format: "der", type: "pkcs8" });
    expect(createPublicKey(privateKey).export({ format: "jwk" }).x).toBe(row.publicKey);
    // Neither the DER nor the raw 32-byte seed appears in what the database holds.
    const der = Buffer.from(pkcs8, "base64url");
    const stored = JSON.stringify(row);
    for (const encoding of ["base64url", "base64", "hex"] as const) {
      expect(stored).not.toContain(der.toString(encoding));
      expect(stored).not.toContain(der.subarray(-32).toString(encoding));
    }
    // Sealed for this purpose only: the same bytes don't open as any other sealed value.
    expect(() => openSecret(row.privateKey, "totp-secret")).toThrow();
    expect(openSecret(sealSigningKey("x"), SIGNING_KEY_PURPOSE)).toBe("x");

    vi.stubEnv("AUTH_ENCRYPTION_KEY", Buffer.alloc(32, 7).toString("base64"));
    resetEnvCache();
    const reports = await reencryptSecrets();
    expect(reports.find(({ column }) => column === "Access token signing keys")).toMatchObject({ resealed: 1, unreadable: 0 });
    const [moved] = await keysTable();
    expect(moved.privateKey.split(".")[1]).toBe(keyRing().sealing.id);
    expect(openSigningKey(moved.privateKey)).toBe(pkcs8);
    forgetLoadedKeys();
    expect(kidOf(await issueAccessToken(claims))).toBe(row.kid);
  });

  it("rotation: the new key is published at once and signs once caches have seen it; old tokens verify; the old key leaves the JWKS later", async () => {
    const before = await issueAccessToken(claims);
    const oldKid = kidOf(before);
    const { kid: newKid, retired } = await rotateSigningKey();
    expect(retired).toEqual([oldKid]);
    expect((await jwks()).keys.map(({ kid }) => kid)).toEqual([newKid, oldKid]);
    // Not yet: a JWKS fetched just before the rotation may still be cached somewhere.
    expect(kidOf(await issueAccessToken(claims))).toBe(oldKid);

    advance(KEY_ACTIVATION_DELAY_MS + KEY_SET_MAX_AGE_MS);
    const after = await issueAccessToken(claims);
    expect(kidOf(after)).toBe(newKid);
    expect(await verifyAccessToken(before)).toEqual(claims);
    expect(await verifyAccessToken(after)).toEqual(claims);
    expect((await jwks()).keys.map(({ kid }) => kid)).toEqual([newKid, oldKid]);

    // The old key signed until the new one became active; its last token expires within the window.
    expect(RETIRED_KEY_PUBLISHED_MS).toBeGreaterThan(KEY_ACTIVATION_DELAY_MS + KEY_SET_MAX_AGE_MS + ACCESS_TOKEN_TTL_SECONDS * 1000);
    advance(RETIRED_KEY_PUBLISHED_MS);
    forgetLoadedKeys();
    expect((await jwks()).keys.map(({ kid }) => kid)).toEqual([newKid]);
    expect(await verifyAccessToken(before)).toBeNull();
    expect((await rotateSigningKey()).removed).toBe(1);
    expect((await keysTable()).map(({ kid }) => kid)).not.toContain(oldKid);
  });

  it("another instance's rotation reaches this one within the activation delay plus one re-read", async () => {
    const oldKid = kidOf(await issueAccessToken(claims));
    const otherInstance = await rotateSigningKey();
    forgetLoadedKeys();
    expect(kidOf(await issueAccessToken(claims))).toBe(oldKid);
    advance(KEY_ACTIVATION_DELAY_MS - 1_000);
    expect(kidOf(await issueAccessToken(claims))).toBe(oldKid);
    advance(KEY_ACTIVATION_DELAY_MS + KEY_SET_MAX_AGE_MS);
    expect(kidOf(await issueAccessToken(claims))).toBe(otherInstance.kid);
  });

  it("an unknown kid re-reads the keys at most once per 5 seconds; a key stored meanwhile is then found", async () => {
    await issueAccessToken(claims);
    // A key another instance stored after this one read the keys, used by hand so no delay applies.
    const { kid } = await rotateSigningKey({ immediately: true });
    const row = await database.prisma.signingKey.findUniqueOrThrow({ where: { kid } });
    const privateKey = createPrivateKey({ key: Buffer.from(openSigningKey(row.privateKey), "base64url"), format: "der", type: "pkcs8" });
    const now = Math.floor(Date.now() / 1000);
    const body = { sub: "u1", sid: "s1", auth_time: 1_700_000_000, iss: accessTokenIssuer(), aud: ACCESS_TOKEN_AUDIENCE, iat: now, exp: now + 600 };
    const forge = (header: object, key = privateKey) => {
      const input = `${Buffer.from(JSON.stringify(header)).toString("base64url")}.${Buffer.from(JSON.stringify(body)).toString("base64url")}`;
      return `${input}.${sign(null, Buffer.from(input), key).toString("base64url")}`;
    };
    forgetLoadedKeys();
    const garbage = Array.from({ length: 50 }, (_, index) => forge({ alg: "EdDSA", kid: `${String(index).padStart(2, "0")}${"A".repeat(41)}` }));
    const { queries } = await queriesDuring(database, async () => {
      await issueAccessToken(claims);
      for (const token of garbage) expect(await verifyAccessToken(token)).toBeNull();
      for (const token of [forge({ alg: "EdDSA", kid: "not a thumbprint" }), forge({ alg: "EdDSA" })]) expect(await verifyAccessToken(token)).toBeNull();
    });
    // The one read when the first token was issued; the garbage cost nothing more.
    expect(queries.filter(({ text }) => /SigningKey/.test(text))).toHaveLength(1);
    expect(await verifyAccessToken(forge({ alg: "EdDSA", kid }))).toEqual(claims);

    advance(UNKNOWN_KID_REFRESH_MS);
    const { queries: later } = await queriesDuring(database, async () => {
      for (const token of garbage) expect(await verifyAccessToken(token)).toBeNull();
    });
    expect(later.filter(({ text }) => /SigningKey/.test(text))).toHaveLength(1);
  });

  it("GET /.well-known/jwks.json publishes Ed25519 keys a standard library verifies our tokens with, cacheable for minutes", async () => {
    const token = await issueAccessToken(claims);
    const response = await jwksRoute(new Request("http://localhost/.well-known/jwks.json"), {});
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
    const body = await response.json();
    expect(body).toEqual({ keys: [{ kty: "OKP", crv: "Ed25519", x: expect.any(String), kid: kidOf(token), alg: "EdDSA", use: "sig" }] });
    const metadata = await (await metadataRoute(new Request("http://localhost/.well-known/oauth-authorization-server"), {})).json();
    const { payload } = await jwtVerify(token, createLocalJWKSet(body), { issuer: metadata.issuer, audience: ACCESS_TOKEN_AUDIENCE, algorithms: ["EdDSA"] });
    expect(payload).toMatchObject({ sub: "u1", sid: "s1", auth_time: 1_700_000_000 });
    expect(JSON.stringify(body)).not.toMatch(/"d"/);
  });

  it("GET /.well-known/oauth-authorization-server describes the endpoints with absolute URLs under AUTH_URL", async () => {
    vi.stubEnv("AUTH_URL", "https://login.example.com/some/path");
    resetEnvCache();
    const response = await metadataRoute(new Request("http://localhost/.well-known/oauth-authorization-server"), {});
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toMatch(/^public, max-age=\d+$/);
    expect(await response.json()).toEqual({
      issuer: "https://login.example.com",
      token_endpoint: "https://login.example.com/api/v1/auth/token",
      revocation_endpoint: "https://login.example.com/api/v1/auth/revoke",
      introspection_endpoint: "https://login.example.com/api/v1/auth/introspect",
      jwks_uri: "https://login.example.com/.well-known/jwks.json",
      grant_types_supported: ["password", "refresh_token"],
      response_types_supported: [],
      token_endpoint_auth_methods_supported: ["none"],
      revocation_endpoint_auth_methods_supported: ["none"],
      service_documentation: "https://login.example.com/docs/api",
    });
    expect(decodeProtectedHeader(await issueAccessToken(claims)).kid).toBeDefined();
    const { payload } = await jwtVerify(await issueAccessToken(claims), createLocalJWKSet(await jwks() as never), { issuer: "https://login.example.com" });
    expect(payload.iss).toBe("https://login.example.com");
  });
});
