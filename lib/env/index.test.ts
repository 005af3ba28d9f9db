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
