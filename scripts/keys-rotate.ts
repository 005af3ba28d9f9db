import { KEY_ACTIVATION_DELAY_MS, rotateSigningKey } from "@/lib/crypto/signing-keys";
import { database } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";

const USAGE = "usage: npm run keys:rotate [-- --now]";

async function main(): Promise<void> {
  const flags = process.argv.slice(2);
  if (flags.some((flag) => flag !== "--now")) throw new Error(USAGE);
  const immediately = flags.includes("--now");
  const target = database();
  try {
    await applyMigrations(target);
    const { kid, retired, removed } = await rotateSigningKey({ immediately });
    const when = immediately ? "now" : `in ${KEY_ACTIVATION_DELAY_MS / 60_000} minutes, once caches of the JWKS have seen it`;
    console.log(`New access token signing key ${kid}: published now, signs ${when}`);
    if (retired.length) console.log(`Retired ${retired.join(", ")}: published until the tokens they signed have expired`);
    if (removed) console.log(`Removed ${removed} key(s) retired long enough ago that no token they signed is still valid`);
  } finally {
    await target.close();
  }
}

main().catch((error: unknown) => {
  console.error(`keys:rotate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
