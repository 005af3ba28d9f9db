import { database } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { EnvError, env } from "@/lib/env";

const MIGRATION_RETRY_MS = 5_000;

async function migrateUntilDone(): Promise<void> {
  for (;;) {
    try {
      const applied = await applyMigrations(database());
      if (applied.length) console.log(`Applied migrations: ${applied.join(", ")}`);
      return;
    } catch (error) {
      console.error(`Migrations could not run yet (${error instanceof Error ? error.message : error}); retrying`);
      await new Promise((resolve) => setTimeout(resolve, MIGRATION_RETRY_MS));
    }
  }
}

/** Runs once when the server process starts: a bad environment stops it, migrations bring the schema up to date. */
export async function startServer(): Promise<void> {
  try {
    env();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`Latchkey cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  await migrateUntilDone();
}
