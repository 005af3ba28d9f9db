import { parseArgs } from "node:util";
import { localText, translator } from "@/i18n/translate";
import { database } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrate";
import { env } from "@/lib/env";
import { ApiError, localizeFieldErrors } from "@/lib/errors";
import { createOrPromoteAdmin } from "@/lib/services/admin";
import { signupSchema } from "@/lib/validations/auth";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { email: { type: "string" }, username: { type: "string" }, password: { type: "string" } },
    strict: true,
  });
  const parsed = signupSchema(env().PASSWORD_MIN_LENGTH).safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const words = localText(translator(), issue.message, { min: env().PASSWORD_MIN_LENGTH });
    throw new Error(`--${issue.path.join(".") || "arguments"}: ${words}`);
  }
  const target = database();
  try {
    await applyMigrations(target);
    const { user, created } = await createOrPromoteAdmin(parsed.data);
    console.log(`${created ? "Created" : "Promoted"} admin ${user.username} <${user.email}>`);
  } finally {
    await target.close();
  }
}

main().catch((error: unknown) => {
  const reason =
    error instanceof ApiError
      ? `${error.message}${error.fields ? `: ${Object.values(localizeFieldErrors(translator(), error.fields)).flat().join("; ")}` : ""}`
      : error instanceof Error
        ? error.message
        : String(error);
  console.error(`admin:create failed: ${reason}`);
  process.exit(1);
});
