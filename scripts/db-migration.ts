import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { createDatabase } from "@/lib/db/client";
import { MIGRATIONS_DIR, diffSchemaAgainstMigrations } from "@/lib/db/migrate";
import { IN_MEMORY_PGLITE } from "@/lib/db/target";

const EMPTY_DIFF = /^\s*(-- This is an empty migration\.)?\s*$/;

async function main() {
  const name = (process.argv[2] ?? "").toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "");
  if (!name) throw new Error("usage: npm run db:migrate:new -- <name>");
  // The diff replays the history on a throwaway in-memory database, so no real database is touched.
  const scratch = createDatabase({ kind: "pglite", dataDir: IN_MEMORY_PGLITE });
  try {
    const sql = await diffSchemaAgainstMigrations(scratch.adapterFactory);
    if (EMPTY_DIFF.test(sql)) {
      console.log("No schema changes: no migration written.");
      return;
    }
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const folder = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, "migration.sql"), sql);
    console.log(`Wrote ${folder}/migration.sql`);
  } finally {
    await scratch.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
