import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "@/lib/db/client";
import { applyMigrations, diffSchemaAgainstMigrations, everyMigrationApplied, readMigrations } from "@/lib/db/migrate";
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

  it("skip the schema engine only when every migration in the folder is recorded, unchanged", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "latchkey-migrations-"));
    try {
      expect(await everyMigrationApplied(database, await readMigrations())).toBe(true);

      cpSync("prisma", path.join(root, "prisma"), { recursive: true });
      const [first] = (await readMigrations(root)).migrationDirectories;
      const firstFile = path.join(root, "prisma/migrations", first.path, "migration.sql");
      writeFileSync(firstFile, `${readFileSync(firstFile, "utf8")}\n-- edited after it was applied\n`);
      expect(await everyMigrationApplied(database, await readMigrations(root)), "an edited migration").toBe(false);
      cpSync(path.join("prisma/migrations", first.path, "migration.sql"), firstFile);

      const pending = path.join(root, "prisma/migrations/99991231235959_probe");
      mkdirSync(pending);
      writeFileSync(path.join(pending, "migration.sql"), 'CREATE TABLE "MigrationProbe" ("id" INTEGER PRIMARY KEY);\n');
      expect(await everyMigrationApplied(database, await readMigrations(root)), "a pending migration").toBe(false);
      expect(await applyMigrations(database, root)).toEqual(["99991231235959_probe"]);
      expect(await everyMigrationApplied(database, await readMigrations(root))).toBe(true);

      // A migration that failed, even one this release doesn't know (after a rollback to an older one).
      await database.prisma.$executeRawUnsafe(
        `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES ('failed-probe', 'x', '99991231235960_failed_elsewhere', now(), 0)`,
      );
      expect(await everyMigrationApplied(database, await readMigrations()), "a failed migration").toBe(false);
      await database.prisma.$executeRawUnsafe(`DELETE FROM _prisma_migrations WHERE id = 'failed-probe'`);
      expect(await everyMigrationApplied(database, await readMigrations())).toBe(true);

      const empty = createDatabase({ kind: "pglite", dataDir: IN_MEMORY_PGLITE });
      try {
        expect(await everyMigrationApplied(empty, await readMigrations()), "no migration history").toBe(false);
      } finally {
        await empty.close();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
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
