import { database } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";

async function main() {
  const target = database();
  try {
    const applied = await applyMigrations(target);
    console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Database is up to date.");
  } finally {
    await target.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
