import type { PrismaClient } from "@/lib/generated/prisma/client";

/** A placeholder bcrypt-shaped hash: seeded users exist to be listed and searched, never to sign in. */
const SEED_HASH = "$2b$12$seededseededseededseedeuJ1k6mLr5V5xY0Q3pQ0cGx9z8a7b6c5d4";

/**
 * Inserts `count` users in one statement (generate_series), with sign-up times spread over a year and about half
 * of them having signed in, then refreshes the planner's statistics.
 */
export async function seedUsers(prisma: PrismaClient, count: number, prefix = "seed"): Promise<void> {
  await prisma.$executeRawUnsafe(`
    INSERT INTO "User" ("id", "username", "email", "passwordHash", "role", "createdAt", "updatedAt", "lastLoginAt", "emailVerified")
    SELECT
      '${prefix}' || n,
      '${prefix}_' || lpad(n::text, 6, '0'),
      '${prefix}.' || lpad(n::text, 6, '0') || '@' || (ARRAY['example.com', 'example.org', 'mail.test'])[1 + n % 3],
      '${SEED_HASH}',
      'USER',
      now() - (n % 365) * interval '1 day' - (n % 1440) * interval '1 minute',
      now(),
      CASE WHEN n % 2 = 0 THEN now() - (n % 30) * interval '1 day' END,
      CASE WHEN n % 3 = 0 THEN now() END
    FROM generate_series(1, ${Math.floor(count)}) AS n`);
  // ANALYZE samples 300 rows per statistics-target unit: at the default (100) it reads 30,000 of the 100,000 rows,
  // and from one sample to the next PostgreSQL's estimate for a substring search swung enough to flip the plan from
  // the trigram indexes to a walk of the createdAt index (a CI run failed on it). At 1000 every row is read, so the
  // plans the tests check no longer depend on the sample.
  await prisma.$executeRawUnsafe(`ALTER TABLE "User" ALTER COLUMN "email" SET STATISTICS 1000`);
  await prisma.$executeRawUnsafe(`ALTER TABLE "User" ALTER COLUMN "username" SET STATISTICS 1000`);
  await prisma.$executeRawUnsafe(`ANALYZE "User"`);
}

/** The statements Prisma sends for the admin users page (see listUsers), for EXPLAIN. */
export const ADMIN_USER_QUERIES = {
  firstPage: `SELECT "id" FROM "User" ORDER BY "createdAt" DESC, "id" ASC LIMIT 20 OFFSET 0`,
  deepPage: `SELECT "id" FROM "User" ORDER BY "createdAt" DESC, "id" ASC LIMIT 20 OFFSET 20000`,
  byUsername: `SELECT "id" FROM "User" ORDER BY "username" ASC, "id" ASC LIMIT 20 OFFSET 0`,
  search: `SELECT "id" FROM "User" WHERE ("email" LIKE '%ed_04242%' OR "username" LIKE '%ed_04242%') ORDER BY "createdAt" DESC, "id" ASC LIMIT 20 OFFSET 0`,
  searchCount: `SELECT COUNT(*) FROM "User" WHERE ("email" LIKE '%ed_04242%' OR "username" LIKE '%ed_04242%')`,
} as const;
