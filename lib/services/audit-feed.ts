import { z } from "zod";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/errors";
import type { AuditFeedQuery } from "@/lib/validations/admin";
import { AUDIT_EVENT_TYPES, flushRepeatedAudits, type AuditDetail } from "./audit";
import { olderThan, type KeysetPosition } from "./keyset";

/**
 * One audit event as the JSON feed gives it. `createdAt` is when it (first) happened; repeats merged into the row
 * (refusals, failures from one address) add to `count`, the last at `lastAt`. Ids are kept even when the user they
 * name was deleted since.
 */
export const auditFeedEventSchema = z.object({
  id: z.string(),
  type: z.string(),
  actorId: z.string().nullable(),
  targetId: z.string().nullable(),
  ip: z.string().nullable(),
  createdAt: z.iso.datetime(),
  detail: z.record(z.string(), z.unknown()).nullable().describe("What the event is about: reason, via, counts; never a secret"),
  count: z.number().int(),
  lastAt: z.iso.datetime(),
});
export type AuditFeedEvent = z.infer<typeof auditFeedEventSchema>;

export const auditFeedPageSchema = z.object({ events: z.array(auditFeedEventSchema), nextCursor: z.string().nullable() });
export type AuditFeedPage = z.infer<typeof auditFeedPageSchema>;

/** The last event of a page, opaque to the client: where the next page starts. */
function encodeCursor({ createdAt, id }: KeysetPosition): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString("base64url");
}

function decodeCursor(cursor: string): KeysetPosition {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    const createdAt = new Date(String(at));
    if (typeof at === "string" && typeof id === "string" && id && !Number.isNaN(createdAt.getTime())) return { createdAt, id };
  } catch {
    // Falls through to the same answer as a well-formed cursor of the wrong shape.
  }
  throw ApiError.validation({ cursor: ["cursor must be a nextCursor this API returned"] });
}

/**
 * Newest first, by (createdAt, id): a keyset, so a page starts strictly after the previous page's last event and
 * events written meanwhile (all newer) neither repeat nor shift a row. Filters are exact (event type, actor id,
 * target id) and the range is half-open (`since` included, `until` not); each filter meets an index on
 * (column, createdAt), and no filter the index on createdAt.
 */
export async function listAuditFeed(query: AuditFeedQuery): Promise<AuditFeedPage> {
  if (query.type && !(AUDIT_EVENT_TYPES as readonly string[]).includes(query.type)) {
    throw ApiError.validation({ type: [`type must be one of ${AUDIT_EVENT_TYPES.join(", ")}`] });
  }
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  await flushRepeatedAudits();
  const where: Prisma.AuditEventWhereInput = {
    ...(query.type && { type: query.type }),
    ...(query.actor && { actorId: query.actor }),
    ...(query.target && { targetId: query.target }),
    AND: [
      ...(query.since ? [{ createdAt: { gte: query.since } }] : []),
      ...(query.until ? [{ createdAt: { lt: query.until } }] : []),
      ...(after ? olderThan(after) : []),
    ],
  };
  const rows = await db().auditEvent.findMany({
    where,
    select: { id: true, type: true, actorId: true, targetId: true, ip: true, createdAt: true, detail: true, count: true, lastAt: true },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return {
    events: page.map((row) => ({
      ...row,
      createdAt: row.createdAt.toISOString(),
      lastAt: row.lastAt.toISOString(),
      detail: (row.detail as AuditDetail | null) ?? null,
    })),
    nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1]) : null,
  };
}
