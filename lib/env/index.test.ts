import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./index";

const SECRET = "s".repeat(32);

describe("parseEnv", () => {
  it("stops production without AUTH_SECRET, or with one under 32 bytes, with one clear line", () => {
    for (const secret of [undefined, "", "short-secret"]) {
      let message = "";
      try {
        parseEnv({ NODE_ENV: "production", AUTH_SECRET: secret });
      } catch (error) {
        expect(error).toBeInstanceOf(EnvError);
        message = (error as Error).message;
      }
      expect(message).toMatch(/^AUTH_SECRET must be set to at least 32 bytes in production/);
      expect(message).not.toContain("\n");
    }
    expect(parseEnv({ NODE_ENV: "production", AUTH_SECRET: SECRET }).AUTH_SECRET).toBe(SECRET);
  });

  describe("in development", () => {
    const cwd = process.cwd();
    afterEach(() => process.chdir(cwd));

    it("generates a secret once under .data/ and reuses it", () => {
      process.chdir(mkdtempSync(path.join(tmpdir(), "latchkey-env-")));
      const first = parseEnv({ NODE_ENV: "development" }).AUTH_SECRET;
      expect(Buffer.byteLength(first)).toBeGreaterThanOrEqual(32);
      expect(readFileSync(".data/auth-secret", "utf8")).toBe(first);
      expect(parseEnv({ NODE_ENV: "development" }).AUTH_SECRET).toBe(first);
    });
  });

  it("validates the database URL, the password minimum and the proxy count", () => {
    expect(() => parseEnv({ AUTH_SECRET: SECRET, DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL/);
    expect(() => parseEnv({ AUTH_SECRET: SECRET, PASSWORD_MIN_LENGTH: "7" })).toThrow(/PASSWORD_MIN_LENGTH/);
    expect(() => parseEnv({ AUTH_SECRET: SECRET, AUTH_TRUST_PROXY: "-1" })).toThrow(/AUTH_TRUST_PROXY/);
    const env = parseEnv({ AUTH_SECRET: SECRET, PASSWORD_MIN_LENGTH: "8", DATABASE_URL: "postgresql://u@h/db" });
    expect(env.PASSWORD_MIN_LENGTH).toBe(8);
    expect(parseEnv({ AUTH_SECRET: SECRET }).PASSWORD_MIN_LENGTH).toBe(15);
  });

  it("keys IPv6 clients by a /64 unless told otherwise, and refuses prefixes that are no prefix", () => {
    expect(parseEnv({ AUTH_SECRET: SECRET }).RATE_LIMIT_IPV6_PREFIX).toBe(64);
    expect(parseEnv({ AUTH_SECRET: SECRET, RATE_LIMIT_IPV6_PREFIX: "56" }).RATE_LIMIT_IPV6_PREFIX).toBe(56);
    for (const value of ["0", "31", "129", "64.5", "x"]) {
      expect(() => parseEnv({ AUTH_SECRET: SECRET, RATE_LIMIT_IPV6_PREFIX: value })).toThrow(/RATE_LIMIT_IPV6_PREFIX/);
    }
  });
});

describe("AUTH_ENCRYPTION_KEY", () => {
  it("takes a comma-separated list of base64 keys of at least 32 bytes, and refuses anything else in one line", () => {
    const [first, second] = [randomBytes(32).toString("base64"), randomBytes(48).toString("base64url")];
    expect(parseEnv({ AUTH_SECRET: SECRET, AUTH_ENCRYPTION_KEY: ` ${first} , ${second},` }).AUTH_ENCRYPTION_KEY.map((key) => key.length)).toEqual([32, 48]);
    expect(parseEnv({ AUTH_SECRET: SECRET }).AUTH_ENCRYPTION_KEY).toEqual([]);
    expect(parseEnv({ AUTH_SECRET: SECRET, AUTH_ENCRYPTION_KEY: " " }).AUTH_ENCRYPTION_KEY).toEqual([]);
    for (const bad of [randomBytes(31).toString("base64"), `${first},short`, "not base64 at all, but long enough to pass a length check", `${first};${second}`]) {
      let message = "";
      try {
        parseEnv({ NODE_ENV: "production", AUTH_SECRET: SECRET, AUTH_ENCRYPTION_KEY: bad });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, bad).toMatch(/^Invalid environment: AUTH_ENCRYPTION_KEY must be a comma-separated list of keys, each the base64 of at least 32 random bytes/);
      expect(message).not.toContain("\n");
    }
  });
});
