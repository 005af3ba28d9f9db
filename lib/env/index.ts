import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

export const MIN_AUTH_SECRET_BYTES = 32;
export const DEFAULT_PGLITE_DIR = "./.data/pglite";
const DEV_SECRET_FILE = "./.data/auth-secret";

const booleanFlag = z
  .enum(["0", "1", "true", "false", ""])
  .optional()
  .transform((value) => value === "1" || value === "true");

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .optional()
    .refine(
      (url) => !url || /^(pglite:|postgres(ql)?:\/\/)/.test(url),
      "must start with pglite:, postgres:// or postgresql://",
    ),
  AUTH_SECRET: z.string().optional(),
  AUTH_URL: z.url().optional(),
  AUTH_TRUST_PROXY: z.coerce.number().int().min(0).max(10).optional(),
  PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(128).default(15),
  AUTH_REQUIRE_EMAIL_VERIFICATION: booleanFlag,
  LOG_SQL: booleanFlag,
});

export type Env = Omit<z.infer<typeof envSchema>, "AUTH_SECRET"> & { AUTH_SECRET: string };

export class EnvError extends Error {}

/** Reads the development secret kept under .data/, creating it once (first writer wins). */
function developmentSecret(): string {
  const file = path.resolve(DEV_SECRET_FILE);
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      writeFileSync(file, randomBytes(MIN_AUTH_SECRET_BYTES).toString("base64url"), { flag: "wx", mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    return readFileSync(file, "utf8").trim();
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new EnvError(`Invalid environment: ${issue.path.join(".")} ${issue.message}`);
  }
  const parsed = result.data;
  let secret = parsed.AUTH_SECRET;
  if (parsed.NODE_ENV === "production") {
    if (!secret || Buffer.byteLength(secret) < MIN_AUTH_SECRET_BYTES) {
      throw new EnvError(
        `AUTH_SECRET must be set to at least ${MIN_AUTH_SECRET_BYTES} bytes in production (try: openssl rand -base64 32)`,
      );
    }
  } else if (!secret) {
    secret = developmentSecret();
  }
  return { ...parsed, AUTH_SECRET: secret };
}

let cached: Env | undefined;

/** The validated environment, read on first use so that `next build` needs no secret or database. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** For tests that change configuration between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}
