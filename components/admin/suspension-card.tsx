import { liftSuspensionAction, suspendUserAction } from "@/app/admin/actions";
import { UserActionForm } from "@/components/admin/user-action-form";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { inputClass } from "@/components/ui/field";
import { SUSPENSION_REASON_MAX } from "@/lib/validations/admin";
import { Timestamp } from "@/components/ui/timestamp";

const DURATIONS = [
  ["1h", "1 hour"],
  ["1d", "1 day"],
  ["7d", "7 days"],
  ["lock", "Until lifted (locks the account)"],
] as const;

/**
 * Suspend for a while with a reason, or lift a running suspension. Plain forms: no JavaScript needed.
 */
export function SuspensionCard({
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
  return (
    <Card title="Suspension" description="Ends every session and token now, refuses sign-in until the end, and mails the user.">
      {suspendedUntil ? (
        <div className="flex flex-wrap items-center gap-3">
          <p className="text-sm text-slate-700">
            Suspended until <strong><Timestamp value={suspendedUntil} /></strong>
            {reason ? ` — ${reason}` : ""}
          </p>
          <UserActionForm action={liftSuspensionAction} userId={userId} returnTo={returnTo}>
            <Button type="submit" variant="secondary">
              Lift suspension
            </Button>
          </UserActionForm>
        </div>
      ) : (
        <UserActionForm action={suspendUserAction} userId={userId} returnTo={returnTo} className="flex flex-wrap items-end gap-2">
          <div>
            <label htmlFor="suspend-duration" className="block text-sm font-medium text-slate-700">
              Suspend for
            </label>
            <select id="suspend-duration" name="duration" defaultValue="1d" disabled={disabled} className={inputClass}>
              {DURATIONS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div className="grow">
            <label htmlFor="suspend-reason" className="block text-sm font-medium text-slate-700">
              Reason
            </label>
            <input id="suspend-reason" name="reason" maxLength={SUSPENSION_REASON_MAX} disabled={disabled} className={inputClass} />
          </div>
          <Button type="submit" variant="danger" disabled={disabled}>
            Suspend
          </Button>
        </UserActionForm>
      )}
    </Card>
  );
}
