import { getTranslations } from "next-intl/server";
import { liftSuspensionAction, suspendUserAction } from "@/app/admin/actions";
import { UserActionForm } from "@/components/admin/user-action-form";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { inputClass } from "@/components/ui/field";
import { SUSPENSION_REASON_MAX } from "@/lib/validations/admin";
import { Timestamp } from "@/components/ui/timestamp";

/** The choices suspendUserAction takes; each is also its key under `admin.suspension.durations`. */
const DURATIONS = ["1h", "1d", "7d", "lock"] as const;

/**
 * Suspend for a while with a reason, or lift a running suspension. Plain forms: no JavaScript needed.
 */
export async function SuspensionCard({
  suspendedUntil,
  reason,
  disabled,
  userId,
  returnTo,
}: {
  suspendedUntil: string | null;
  reason: string | null;
  disabled: boolean;
  userId: string;
  returnTo: string;
}) {
  const t = await getTranslations("admin.suspension");
  return (
    <Card title={t("title")} description={t("description")}>
      {suspendedUntil ? (
        <div className="flex flex-wrap items-center gap-3">
          <p className="text-sm text-slate-700">
            {t.rich(reason ? "suspendedUntilBecause" : "suspendedUntil", {
              until: () => (
                <strong>
                  <Timestamp value={suspendedUntil} />
                </strong>
              ),
              reason: reason ?? "",
            })}
          </p>
          <UserActionForm action={liftSuspensionAction} userId={userId} returnTo={returnTo}>
            <Button type="submit" variant="secondary">
              {t("lift")}
            </Button>
          </UserActionForm>
        </div>
      ) : (
        <UserActionForm action={suspendUserAction} userId={userId} returnTo={returnTo} className="flex flex-wrap items-end gap-2">
          <div>
            <label htmlFor="suspend-duration" className="block text-sm font-medium text-slate-700">
              {t("duration")}
            </label>
            <select id="suspend-duration" name="duration" defaultValue="1d" disabled={disabled} className={inputClass}>
              {DURATIONS.map((value) => (
                <option key={value} value={value}>
                  {t(`durations.${value}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="grow">
            <label htmlFor="suspend-reason" className="block text-sm font-medium text-slate-700">
              {t("reason")}
            </label>
            <input id="suspend-reason" name="reason" maxLength={SUSPENSION_REASON_MAX} disabled={disabled} className={inputClass} />
          </div>
          <Button type="submit" variant="danger" disabled={disabled}>
            {t("suspend")}
          </Button>
        </UserActionForm>
      )}
    </Card>
  );
}
