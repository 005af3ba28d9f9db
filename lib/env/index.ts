import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { LOG_FORMATS, LOG_LEVELS } from "./log-settings.mjs";

export const MIN_AUTH_SECRET_BYTES = 32;
export const DEFAULT_PGLITE_DIR = "./.data/pglite";
const DEV_SECRET_FILE = "./.data/auth-secret";

const booleanFlag = z
  .enum(["0", "1", "true", "false", ""])
  .optional()
  .transform((value) => value === "1" || value === "true");


const DURATION_UNITS = { s: 1, m: 60, h: 3600, d: 86400 } as const;
const DURATION = /^(\d+)(s|m|h|d)$/;

/** "90s", "15m", "1h", "7d" in seconds. */
export function parseDuration(text: string): number | null {
  const match = DURATION.exec(text.trim());
  return match ? Number(match[1]) * DURATION_UNITS[match[2] as keyof typeof DURATION_UNITS] : null;
}

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, context) => {
      const seconds = parseDuration(text);
      if (!seconds) {
        context.addIssue({ code: "custom", message: "must be a duration such as 30s, 15m, 1h or 7d" });
        return z.NEVER;
      }
      return seconds;
    });

export type RateLimitRule = { limit: number; windowSeconds: number };

/** "50/15m": at most 50 in any 15 minutes. */
const rate = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, context): RateLimitRule => {
      const [count, window] = text.split("/");
      const limit = Number(count);
      const windowSeconds = parseDuration(window ?? "");
      if (!Number.isInteger(limit) || limit < 1 || !windowSeconds) {
        context.addIssue({ code: "custom", message: "must look like 50/15m (a count per duration)" });
        return z.NEVER;
      }
      return { limit, windowSeconds };
    });

/** Blank counts as unset, as it does for a shell's `VAR=`. */
const optionalSetting = z
  .string()
  .optional()
  .transform((value) => value?.trim() || undefined);

export const MIN_ENCRYPTION_KEY_BYTES = 32;
const ENCRYPTION_KEY_MESSAGE = `must be a comma-separated list of keys, each the base64 of at least ${MIN_ENCRYPTION_KEY_BYTES} random bytes (try: openssl rand -base64 32)`;

/** Keys that seal secrets at rest, newest first; each is base64 or base64url text. Unset or blank: none. */
const encryptionKeys = z
  .string()
  .optional()
  .transform((text, context): Buffer[] => {
    const entries = (text ?? "").split(",").map((entry) => entry.trim()).filter(Boolean);
    const keys = entries.map((entry) =>
      /^[A-Za-z0-9+/_-]+={0,2}$/.test(entry) ? Buffer.from(entry, "base64") : Buffer.alloc(0),
    );
    if (keys.some((key) => key.length < MIN_ENCRYPTION_KEY_BYTES)) {
      context.addIssue({ code: "custom", message: ENCRYPTION_KEY_MESSAGE });
      return z.NEVER;
    }
    return keys;
  });

/** The schemes `DATABASE_URL` may name; lib/db/target.ts turns the value into a place to connect. */
export const DATABASE_URL_SCHEME = /^(pglite:|postgres(ql)?:\/\/)/;
export const DATABASE_URL_SCHEME_RULE = "must start with pglite:, postgres:// or postgresql://";

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .optional()
    .refine((url) => !url || DATABASE_URL_SCHEME.test(url), DATABASE_URL_SCHEME_RULE),
  AUTH_SECRET: z.string().optional(),
  AUTH_ENCRYPTION_KEY: encryptionKeys,
  AUTH_URL: z.url().optional(),
  AUTH_TRUST_PROXY: z.coerce.number().int().min(0).max(10).optional(),
  PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(128).default(15),
  AUTH_REQUIRE_EMAIL_VERIFICATION: booleanFlag,
  LOG_LEVEL: z.enum(LOG_LEVELS).default("info"),
  /** Read by server.mjs, which creates the logger: readable lines by default under `npm run dev`, JSON otherwise. */
  LOG_FORMAT: z.enum(LOG_FORMATS).optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  SMTP_URL: z
    .string()
    .optional()
    .refine((url) => !url || /^smtps?:\/\//.test(url), "must start with smtp:// or smtps://"),
  /** Unset: the product's name at no-reply@localhost (lib/env/branding.ts). */
  MAIL_FROM: z.string().min(3).optional(),
  APP_NAME: z.string().trim().min(1).max(60).default("Latchkey"),
  APP_LOGO_URL: z
    .union([z.literal(""), z.url({ protocol: /^https$/ }), z.string().regex(/^\/(?!\/)\S*$/, "must be an https URL or a path on this site")])
    .optional()
    .transform((value) => value || undefined),
  APP_ACCENT_COLOR: z
    .union([z.literal(""), z.string().regex(/^#[0-9a-fA-F]{6}$/, "must be a colour like #4338ca")])
    .optional()
    .transform((value) => value?.toLowerCase() || undefined),
  SESSION_IDLE_TIMEOUT: duration("24h"),
  AUTH_SUDO_WINDOW: duration("10m"),
  /** Mail the owner when a browser that never signed in to the account does; on unless 0 or false. */
  AUTH_NOTIFY_NEW_DEVICE: z
    .enum(["0", "1", "true", "false", ""])
    .optional()
    .transform((value) => value !== "0" && value !== "false"),
  REFRESH_TOKEN_LIFETIME: duration("30d"),
  REFRESH_TOKEN_IDLE_TIMEOUT: duration("7d"),
  LOGIN_BACKOFF_AFTER_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_BACKOFF_BASE: duration("30s"),
  LOGIN_BACKOFF_MAX: duration("15m"),
  LOGIN_LOCKOUT_AFTER_FAILURES: z.coerce.number().int().min(1).max(100).default(100),
  RATE_LIMIT_LOGIN_FAILURES_PER_IP: rate("50/15m"),
  RATE_LIMIT_SIGNUPS_PER_IP: rate("30/1h"),
  RATE_LIMIT_TOKEN_REQUESTS_PER_IP: rate("300/15m"),
  RATE_LIMIT_MAILS_PER_ADDRESS: rate("5/1h"),
  RATE_LIMIT_MAILS_PER_IP: rate("20/1h"),
  RATE_LIMIT_IPV6_PREFIX: z.coerce.number().int().min(32).max(128).default(64),
  AUTH_OIDC_ISSUER: z.union([z.literal(""), z.url()]).optional().transform((value) => value || undefined),
  AUTH_OIDC_CLIENT_ID: optionalSetting,
  AUTH_OIDC_CLIENT_SECRET: optionalSetting,
  AUTH_OIDC_NAME: z.string().min(1).max(40).default("OpenID Connect"),
  AUTH_GITHUB_ID: optionalSetting,
  AUTH_GITHUB_SECRET: optionalSetting,
  AUTH_GOOGLE_ID: optionalSetting,
  AUTH_GOOGLE_SECRET: optionalSetting,
});

/** Every variable the app reads, in `lib/env`'s schema; `.env.example` and docs/configuration.md list the same. */
export const ENVIRONMENT_VARIABLES = Object.keys(envSchema.shape) as (keyof typeof envSchema.shape)[];

/**
 * Read by `server.mjs` before the app loads, so outside this schema: the address it binds. (`PORT` and `LOG_LEVEL`
 * are read there too, with the same defaults as here.)
 */
export const SERVER_ONLY_VARIABLES = ["HOSTNAME"] as const;

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

function validated<Schema extends z.ZodType>(schema: Schema, source: Record<string, string | undefined>): z.infer<Schema> {
  const result = schema.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new EnvError(`Invalid environment: ${issue.path.join(".")} ${issue.message}`);
  }
  return result.data;
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = validated(envSchema, source);
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

const brandingSchema = envSchema.pick({ APP_NAME: true, APP_LOGO_URL: true, APP_ACCENT_COLOR: true, MAIL_FROM: true });
export type BrandingEnv = z.infer<typeof brandingSchema>;

let cached: Env | undefined;
let cachedBranding: BrandingEnv | undefined;

/**
 * The branding variables alone (lib/env/branding.ts): the layout also renders while `next build` prerenders, where
 * no AUTH_SECRET is needed. A server still validates them with everything else at start.
 */
export function brandingEnv(): BrandingEnv {
  cachedBranding ??= validated(brandingSchema, process.env);
  return cachedBranding;
}

/** The validated environment, read on first use so that `next build` needs no secret or database. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** For tests that change configuration between cases. */
export function resetEnvCache(): void {
  cached = undefined;
  cachedBranding = undefined;
}

/** The public origin for links in mail: AUTH_URL, never a request's Host header. */
export function publicOrigin(): string {
  const settings = env();
  return settings.AUTH_URL ? new URL(settings.AUTH_URL).origin : `http://localhost:${settings.PORT}`;
}
