import { database } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { EnvError, env } from "@/lib/env";
import { ensureSigningKey } from "@/lib/crypto/signing-keys";
import { deleteStaleLoginThrottles } from "@/lib/security/login-throttle";
import { deleteExpiredRateLimits } from "@/lib/security/rate-limit";
import { flushRepeatedAudits } from "@/lib/services/audit";
import { deleteExpiredEmailTokens } from "@/lib/services/email-tokens";
import { deleteFinishedMail, startMailWorker, stopMailWorker } from "@/lib/services/mail-queue";
import { sealPlaintextSecrets } from "@/lib/services/sealed-secrets";
import { deleteExpiredLinkIntents } from "@/lib/services/link-intents";
import { deleteExpiredSessions } from "@/lib/services/sessions";
import { deleteExpiredMfaChallenges } from "@/lib/services/two-factor";
import { deleteExpiredWebAuthnChallenges } from "@/lib/services/passkeys";
import { describeError, logger } from "@/lib/log";
import { SHUTDOWN_HOOK } from "@/lib/shutdown-hook.mjs";
import { formatAbortReasonStacks } from "@/lib/render-abort-reasons";

const MIGRATION_RETRY_MS = 5_000;
/** Expired sessions, rate-limit windows and stale throttles are swept this often by every instance. */
const SWEEP_INTERVAL_MS = 10 * 60 * 1000;

async function migrateUntilDone(): Promise<void> {
  for (;;) {
    try {
      const applied = await applyMigrations(database());
      if (applied.length) logger().info({ migrations: applied }, "Applied migrations");
      return;
    } catch (error) {
      logger().error({ error: describeError(error) }, "Migrations could not run yet; retrying");
      await new Promise((resolve) => setTimeout(resolve, MIGRATION_RETRY_MS));
    }
  }
}

/** Rows from before secrets were sealed at rest are sealed once; a failure is logged, the server starts anyway. */
async function sealSecretsStoredInPlaintext(): Promise<void> {
  try {
    const sealed = await sealPlaintextSecrets();
    if (sealed) logger().info({ sealed }, "Sealed secrets that were stored in plain text");
  } catch (error) {
    logger().error({ error: describeError(error) }, "Sealing secrets stored in plain text failed; they stay readable");
  }
}

export async function sweepExpiredRows(): Promise<void> {
  await Promise.all([
    deleteExpiredSessions(),
    deleteExpiredRateLimits(),
    deleteStaleLoginThrottles(),
    deleteExpiredEmailTokens(),
    deleteExpiredMfaChallenges(),
    deleteExpiredWebAuthnChallenges(),
    deleteExpiredLinkIntents(),
    deleteFinishedMail(),
  ]);
}

/** Runs once when the server process starts: a bad environment stops it, migrations bring the schema up to date. */
export async function startServer(): Promise<void> {
  formatAbortReasonStacks();
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
  await sealSecretsStoredInPlaintext();
  await ensureSigningKey().catch((error: unknown) => {
    logger().error({ error: describeError(error) }, "No access token signing key could be read or made yet; the first token request tries again");
  });
  const settings = env();
  if (settings.NODE_ENV === "production" && !settings.AUTH_URL) {
    logger().warn(
      `AUTH_URL is not set: links in mail will point to http://localhost:${settings.PORT}, and access tokens name it as their issuer (instances on other ports refuse them)`,
    );
  }
  if (settings.NODE_ENV === "production" && !settings.SMTP_URL) {
    logger().warn("SMTP_URL is not set: no mail is sent; each one is noted in this log by kind and recipient only");
  }
  const sweeper = setInterval(() => {
    sweepExpiredRows().catch((error: unknown) => {
      logger().error({ error: describeError(error) }, "Sweeping expired rows failed");
    });
  }, SWEEP_INTERVAL_MS);
  sweeper.unref();
  startMailWorker();
  (globalThis as Record<symbol, unknown>)[SHUTDOWN_HOOK] = async () => {
    clearInterval(sweeper);
    // Mail not sent yet stays queued in the database: the next instance to run sends it.
    await Promise.all([stopMailWorker(), flushRepeatedAudits()]);
    await database().close();
  };
}
