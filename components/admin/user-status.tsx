import { getTranslations } from "next-intl/server";
import type { AdminUserRow } from "@/lib/services/admin";

/** The one word for where an account stands, the strongest restriction first (a lock outlasts any suspension). */
export async function UserStatus({ user }: { user: Pick<AdminUserRow, "locked" | "suspendedUntil" | "throttled"> }) {
  const t = await getTranslations("admin.status");
  return t(user.locked ? "locked" : user.suspendedUntil ? "suspended" : user.throttled ? "backingOff" : "active");
}
