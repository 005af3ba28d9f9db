import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "@/lib/db/client";
import { applyMigrations, diffSchemaAgainstMigrations, readMigrations } from "@/lib/db/migrate";
import { IN_MEMORY_PGLITE } from "@/lib/db/target";
import { createServerDatabase, freshDatabase, testDatabaseKind, type TestDatabase } from "../support/database";

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database.dispose();
});

describe("migrations", () => {
  it(`run on ${testDatabaseKind()} and are recorded where prisma migrate deploy records them`, async () => {
    const [{ version }] = await database.prisma.$queryRaw<{ version: string }[]>`SELECT version()`;
    expect(version).toMatch(/PostgreSQL/);
    const names = (await readMigrations()).migrationDirectories.map((directory) => directory.path);
    const rows = await database.prisma.$queryRaw<{ migration_name: string; finished_at: Date | null }[]>`
      SELECT migration_name, finished_at FROM "_prisma_migrations" ORDER BY migration_name`;
    expect(rows.map((row) => row.migration_name)).toEqual(names);
    expect(rows.every((row) => row.finished_at !== null)).toBe(true);
  });

  it("are idempotent", async () => {
    expect(await applyMigrations(database)).toEqual([]);
  });

  it("match the Prisma schema (no change is waiting for a migration)", async () => {
    const scratch = createDatabase({ kind: "pglite", dataDir: IN_MEMORY_PGLITE });
    try {
      const sql = await diffSchemaAgainstMigrations(scratch.adapterFactory);
      expect(sql.replace(/--.*$/gm, "").trim()).toBe("");
    } finally {
      await scratch.close();
    }
  });

  it.runIf(testDatabaseKind() === "postgres")(
    "are applied once when several instances start at the same moment",
    async () => {
      const server = await createServerDatabase();
      const instances = Array.from({ length: 4 }, () => createDatabase({ kind: "postgres", url: server.url }));
      try {
        const applied = await Promise.all(instances.map((instance) => applyMigrations(instance)));
        const total = (await readMigrations()).migrationDirectories.length;
        expect(applied.flat()).toHaveLength(total);
        const [{ count }] = await instances[0].prisma.$queryRaw<{ count: bigint }[]>`
          SELECT count(*) FROM "_prisma_migrations"`;
        expect(Number(count)).toBe(total);
      } finally {
        await Promise.all(instances.map((instance) => instance.close()));
        await server.drop();
      }
    },
  );
});
