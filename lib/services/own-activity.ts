import { db } from "@/lib/db/client";
import { flushRepeatedAudits, type AuditEventType } from "./audit";
import type { Locale } from "@/i18n/locales";
import { describeDevice } from "./device-name";

/** How many of the newest events `/account` shows. */
export const OWN_ACTIVITY_LIMIT = 15;

/**
 * One event of a person's own account as `/account` shows it: what happened, when (the last of merged repeats), how
 * often, from which address and device, and whether an administrator did it (then without the admin's address and
 * device). Never the event's details (reasons, identifiers), nor events about anyone else.
 */
export type OwnActivityDto = {
  id: string;
  type: AuditEventType;
  at: string;
  count: number;
  ip: string | null;
  device: string | null;
  byAdministrator: boolean;
};

/** The newest events whose target is this account: its sign-ins and failures, its changes, and admins' actions on it. */
/** `locale`: the reader's, for the device names. */
export async function listOwnActivity(userId: string, { limit = OWN_ACTIVITY_LIMIT, locale }: { limit?: number; locale?: Locale } = {}): Promise<OwnActivityDto[]> {
  await flushRepeatedAudits();
  const rows = await db().auditEvent.findMany({
    where: { targetId: userId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: { id: true, type: true, actorId: true, ip: true, userAgent: true, count: true, lastAt: true },
  });
  return rows.map((row) => {
    const byAdministrator = row.actorId !== null && row.actorId !== userId;
    return {
      id: row.id,
      type: row.type as AuditEventType,
      at: row.lastAt.toISOString(),
      count: row.count,
      ip: byAdministrator ? null : row.ip,
      device: byAdministrator ? null : describeDevice(row.userAgent, locale),
      byAdministrator,
    };
  });
}
