import { z } from "zod";
import { createApiKey, hashApiKey, looksLikeApiKey } from "@/lib/crypto/api-key";
import { database, db, type PreparedStatement } from "@/lib/db/client";
import { USER_DTO_COLUMNS_SQL, userDtoFromColumns, type UserDto, type UserDtoColumns } from "@/lib/services/user-dto";
import { ApiError } from "@/lib/errors";
import type { RequestContext } from "@/lib/security/request-context";
import {
  API_KEY_SCOPES,
  DEFAULT_API_KEY_SCOPES,
  isApiKeyScope,
  scopesAllowedFor,
  type ApiKeyScope,
} from "@/lib/validations/api-key-scopes";
import { recordAudit } from "./audit";
import { NOT_BLOCKED_SQL } from "./suspension";

/** `lastUsedAt` is written at most this often per key, so using a key is a read. */
export const API_KEY_USE_WRITE_INTERVAL_MS = 60 * 1000;
export const MAX_API_KEYS_PER_USER = 50;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The contract's ApiKey: exactly these fields. */
export const apiKeyDtoSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.enum(API_KEY_SCOPES)),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  expiresAt: z.iso.datetime().nullable(),
});
export type ApiKeyDto = z.infer<typeof apiKeyDtoSchema>;

const apiKeySelect = { id: true, name: true, prefix: true, scopes: true, createdAt: true, lastUsedAt: true, expiresAt: true } as const;

type ApiKeyRow = { id: string; name: string; prefix: string; scopes: string[]; createdAt: Date; lastUsedAt: Date | null; expiresAt: Date | null };

function toApiKeyDto(row: ApiKeyRow): ApiKeyDto {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes.filter(isApiKeyScope),
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
  };
}

export async function listApiKeys(userId: string): Promise<ApiKeyDto[]> {
  const rows = await db().apiKey.findMany({ where: { userId }, select: apiKeySelect, orderBy: { createdAt: "desc" } });
  return rows.map(toApiKeyDto);
}

/** The requested scopes in their canonical order, or a field error naming those the owner's role can't grant. */
async function grantableScopes(userId: string, requested: ApiKeyScope[] | undefined): Promise<ApiKeyScope[]> {
  const wanted = new Set(requested ?? DEFAULT_API_KEY_SCOPES);
  const owner = await db().user.findUnique({ where: { id: userId }, select: { role: true } });
  const allowed = new Set(owner ? scopesAllowedFor(owner.role) : []);
  const refused = [...wanted].filter((scope) => !allowed.has(scope));
  if (refused.length) throw ApiError.validation({ scopes: [`Your role can't grant ${refused.join(", ")}`] });
  return API_KEY_SCOPES.filter((scope) => wanted.has(scope));
}

/** The full key is returned here and never again. */
export async function createUserApiKey(
  userId: string,
  { name, expiresInDays, scopes: requested }: { name: string; expiresInDays?: number; scopes?: ApiKeyScope[] },
  context: RequestContext,
): Promise<{ apiKey: ApiKeyDto; key: string }> {
  if ((await db().apiKey.count({ where: { userId } })) >= MAX_API_KEYS_PER_USER) {
    throw ApiError.validation({ name: [`At most ${MAX_API_KEYS_PER_USER} keys; revoke one first`] });
  }
  const scopes = await grantableScopes(userId, requested);
  const { key, keyHash, prefix } = createApiKey();
  const row = await db().apiKey.create({
    data: { userId, name, prefix, keyHash, scopes, expiresAt: expiresInDays ? new Date(Date.now() + expiresInDays * DAY_MS) : null },
    select: apiKeySelect,
  });
  await recordAudit({ type: "api_key.create", actorId: userId, targetId: userId, context, detail: { identifier: prefix, scopes } });
  return { apiKey: toApiKeyDto(row), key };
}

export async function revokeApiKey(userId: string, id: string, context: RequestContext): Promise<void> {
  const row = await db().apiKey.findFirst({ where: { id, userId }, select: { prefix: true } });
  if (!row) throw ApiError.notFound("apiKey");
  await db().apiKey.deleteMany({ where: { id, userId } });
  await recordAudit({ type: "api_key.revoke", actorId: userId, targetId: userId, context, detail: { identifier: row.prefix } });
}

type ApiKeyCheckRow = UserDtoColumns & {
  keyId: string;
  scopes: string[];
  keyCreatedAtMs: number;
  expiresAtMs: number | null;
  live: boolean;
  useIsStale: boolean;
};

const API_KEY_CHECK: PreparedStatement = {
  name: "latchkey_api_key_check",
  text: `
    SELECT k."id" AS "keyId", k."scopes",
           (EXTRACT(EPOCH FROM k."createdAt") * 1000)::float8 AS "keyCreatedAtMs",
           (EXTRACT(EPOCH FROM k."expiresAt") * 1000)::float8 AS "expiresAtMs",
           ${USER_DTO_COLUMNS_SQL},
           (k."expiresAt" IS NULL OR k."expiresAt" > (now() AT TIME ZONE 'UTC')) AS "live",
           (k."lastUsedAt" IS NULL
             OR k."lastUsedAt" < (now() AT TIME ZONE 'UTC') - make_interval(secs => ${API_KEY_USE_WRITE_INTERVAL_MS / 1000})) AS "useIsStale"
    FROM "ApiKey" k JOIN "User" u ON u."id" = k."userId"
    WHERE k."keyHash" = $1 AND ${NOT_BLOCKED_SQL}`,
};

/**
 * A live key: its owner, and what it may do now (its scopes, less any its owner's current role no longer allows).
 * `createdAt` and `expiresAt` are the key's, for introspection.
 */
export type ApiKeyHolder = { owner: UserDto; scopes: ApiKeyScope[]; createdAt: Date; expiresAt: Date | null };

/**
 * Like the session check (lib/services/sessions.ts), and by the same mechanism: one prepared statement, an indexed
 * read joined to the owner; `lastUsedAt` written at most once a minute.
 */
export async function authenticateApiKey(key: string): Promise<ApiKeyHolder | null> {
  if (!looksLikeApiKey(key)) return null;
  const [row] = await database().preparedQuery<ApiKeyCheckRow>(API_KEY_CHECK, [hashApiKey(key)]);
  if (!row?.live) return null;
  if (row.useIsStale) await db().apiKey.updateMany({ where: { id: row.keyId }, data: { lastUsedAt: new Date() } });
  const owner = userDtoFromColumns(row);
  const allowed = new Set(scopesAllowedFor(owner.role));
  const scopes = (row.scopes ?? []).filter((scope): scope is ApiKeyScope => isApiKeyScope(scope) && allowed.has(scope));
  return { owner, scopes, createdAt: new Date(row.keyCreatedAtMs), expiresAt: row.expiresAtMs === null ? null : new Date(row.expiresAtMs) };
}
