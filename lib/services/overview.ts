import { Prisma } from "@/lib/generated/prisma/client";
import { UTC_NOW, db } from "@/lib/db/client";
import { flushRepeatedAudits } from "./audit";

export const OVERVIEW_DAYS = 7;

export type DailyCount = { day: string; signups: number; failedSignIns: number; signIns: number };

export type Overview = {
  users: { total: number; admins: number; locked: number; unverified: number };
  last24h: { signups: number; signIns: number; failedSignIns: number };
  last7d: { signups: number; signIns: number; failedSignIns: number };
  daily: DailyCount[];
};

const windowCounts = (interval: Prisma.Sql) => Prisma.sql`
  SELECT
    (SELECT count(*)::int FROM "User" WHERE "createdAt" >= ${UTC_NOW} - ${interval}) AS signups,
    (SELECT coalesce(sum("count"), 0)::int FROM "AuditEvent" WHERE "type" = 'login.success' AND "createdAt" >= ${UTC_NOW} - ${interval}) AS "signIns",
    (SELECT coalesce(sum("count"), 0)::int FROM "AuditEvent" WHERE "type" = 'login.failure' AND "createdAt" >= ${UTC_NOW} - ${interval}) AS "failedSignIns"`;

/**
 * The numbers an operator looks at first; every count runs on an index (createdAt, or type + createdAt). Sign-ins
 * and failures add up the counts of merged events, each counted on the day of its first occurrence.
 */
export async function getOverview(): Promise<Overview> {
  await flushRepeatedAudits();
  const [[users], [last24h], [last7d], daily] = await Promise.all([
    db().$queryRaw<Overview["users"][]>`
      SELECT count(*)::int AS total,
        count(*) FILTER (WHERE role = 'ADMIN')::int AS admins,
        count(*) FILTER (WHERE "lockedAt" IS NOT NULL)::int AS locked,
        count(*) FILTER (WHERE "emailVerified" IS NULL)::int AS unverified
      FROM "User"`,
    db().$queryRaw<Overview["last24h"][]>(windowCounts(Prisma.sql`interval '24 hours'`)),
    db().$queryRaw<Overview["last7d"][]>(windowCounts(Prisma.sql`make_interval(days => ${OVERVIEW_DAYS}::int)`)),
    db().$queryRaw<DailyCount[]>`
      WITH days AS (
        SELECT generate_series(date_trunc('day', ${UTC_NOW}) - make_interval(days => ${OVERVIEW_DAYS - 1}::int),
          date_trunc('day', ${UTC_NOW}), interval '1 day') AS day
      )
      SELECT to_char(days.day, 'YYYY-MM-DD') AS day,
        (SELECT count(*)::int FROM "User" u WHERE u."createdAt" >= days.day AND u."createdAt" < days.day + interval '1 day') AS signups,
        (SELECT coalesce(sum(e."count"), 0)::int FROM "AuditEvent" e WHERE e."type" = 'login.failure'
           AND e."createdAt" >= days.day AND e."createdAt" < days.day + interval '1 day') AS "failedSignIns",
        (SELECT coalesce(sum(e."count"), 0)::int FROM "AuditEvent" e WHERE e."type" = 'login.success'
           AND e."createdAt" >= days.day AND e."createdAt" < days.day + interval '1 day') AS "signIns"
      FROM days ORDER BY days.day`,
  ]);
  return { users, last24h, last7d, daily };
}
