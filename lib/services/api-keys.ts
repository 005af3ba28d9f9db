import { createApiKey, hashApiKey, looksLikeApiKey } from "@/lib/crypto/api-key";
import { db, UTC_NOW } from "@/lib/db/client";
import { toUserDto, type UserDto, type UserDtoRow } from "@/lib/services/user-dto";
import { ApiError } from "@/lib/errors";
import type { RequestContext } from "@/lib/security/request-context";
import { recordAudit } from "./audit";

/** `lastUsedAt` is written at most this often per key, so using a key is a read. */
export const API_KEY_USE_WRITE_INTERVAL_MS = 60 * 1000;
export const MAX_API_KEYS_PER_USER = 50;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The contract's ApiKey: exactly these fields. */
export type ApiKeyDto = { id: string; name: string; prefix: string; createdAt: string; lastUsedAt: string | null };
/** What the account page shows: the same, and when the key expires. */
export type ApiKeyListing = ApiKeyDto & { expiresAt: string | null };

const apiKeySelect = { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, expiresAt: true } as const;

type ApiKeyRow = { id: string; name: string; prefix: string; createdAt: Date; lastUsedAt: Date | null; expiresAt: Date | null };

function toApiKeyDto(row: ApiKeyRow): ApiKeyDto {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}

async function apiKeyRows(userId: string): Promise<ApiKeyRow[]> {
  return db().apiKey.findMany({ where: { userId }, select: apiKeySelect, orderBy: { createdAt: "desc" } });
}

export async function listApiKeys(userId: string): Promise<ApiKeyDto[]> {
  return (await apiKeyRows(userId)).map(toApiKeyDto);
}

export async function listApiKeysWithExpiry(userId: string): Promise<ApiKeyListing[]> {
  return (await apiKeyRows(userId)).map((row) => ({ ...toApiKeyDto(row), expiresAt: row.expiresAt?.toISOString() ?? null }));
}

/** The full key is returned here and never again. */
export async function createUserApiKey(
  userId: string,
  { name, expiresInDays }: { name: string; expiresInDays?: number },
  context: RequestContext,
): Promise<{ apiKey: ApiKeyDto; key: string }> {
  if ((await db().apiKey.count({ where: { userId } })) >= MAX_API_KEYS_PER_USER) {
    throw ApiError.validation({ name: [`At most ${MAX_API_KEYS_PER_USER} keys; revoke one first`] });
  }
  const { key, keyHash, prefix } = createApiKey();
  const row = await db().apiKey.create({
    data: { userId, name, prefix, keyHash, expiresAt: expiresInDays ? new Date(Date.now() + expiresInDays * DAY_MS) : null },
    select: apiKeySelect,
  });
  await recordAudit({ type: "api_key.create", actorId: userId, targetId: userId, context, detail: { identifier: prefix } });
  return { apiKey: toApiKeyDto(row), key };
}

export async function revokeApiKey(userId: string, id: string, context: RequestContext): Promise<void> {
  const row = await db().apiKey.findFirst({ where: { id, userId }, select: { prefix: true } });
  if (!row) throw ApiError.notFound("API key");
  await db().apiKey.deleteMany({ where: { id, userId } });
  await recordAudit({ type: "api_key.revoke", actorId: userId, targetId: userId, context, detail: { identifier: row.prefix } });
}

/** The owner of a live key: one indexed read, plus a write at most once a minute to record use. */
type ApiKeyCheckRow = UserDtoRow & {
  keyId: string;
  live: boolean;
  useIsStale: boolean;
};

/** Like a session check: one indexed read joined to the owner; `lastUsedAt` written at most once a minute. */
export async function authenticateApiKey(key: string): Promise<UserDto | null> {
  if (!looksLikeApiKey(key)) return null;
  const [row] = await db().$queryRaw<ApiKeyCheckRow[]>`
    SELECT k."id" AS "keyId", u."id", u."username", u."email", u."role"::text AS "role", u."emailVerified", u."createdAt",
           (k."expiresAt" IS NULL OR k."expiresAt" > ${UTC_NOW}) AS "live",
           (k."lastUsedAt" IS NULL OR k."lastUsedAt" < ${UTC_NOW} - make_interval(secs => ${API_KEY_USE_WRITE_INTERVAL_MS / 1000})) AS "useIsStale"
    FROM "ApiKey" k JOIN "User" u ON u."id" = k."userId"
    WHERE k."keyHash" = ${hashApiKey(key)} AND u."lockedAt" IS NULL
      AND (u."suspendedUntil" IS NULL OR u."suspendedUntil" <= ${UTC_NOW})`;
  if (!row?.live) return null;
  if (row.useIsStale) await db().apiKey.updateMany({ where: { id: row.keyId }, data: { lastUsedAt: new Date() } });
  return toUserDto(row);
}
