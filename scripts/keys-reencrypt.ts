import { keyRing } from "@/lib/crypto/secret-box";
import { database } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { reencryptSecrets } from "@/lib/services/sealed-secrets";

async function main(): Promise<void> {
  const target = database();
  try {
    await applyMigrations(target);
    const reports = await reencryptSecrets();
    console.log(`Sealing with key ${keyRing().sealing.id}`);
    for (const { column, resealed, sealedFromPlaintext, current, unreadable } of reports) {
      console.log(
        `${column}: ${resealed} re-sealed from older keys, ${sealedFromPlaintext} sealed from plain text, ${current} already current, ${unreadable} unreadable`,
      );
    }
    const unreadable = reports.reduce((sum, report) => sum + report.unreadable, 0);
    if (unreadable) {
      throw new Error(
        `${unreadable} secret(s) could not be opened with any configured key; put the key they were sealed with back into AUTH_ENCRYPTION_KEY and run this again`,
      );
    }
  } finally {
    await target.close();
  }
}

main().catch((error: unknown) => {
  console.error(`keys:reencrypt failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
