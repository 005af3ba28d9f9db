import { Timestamp } from "@/components/ui/timestamp";
import type { AuditEventType } from "@/lib/services/audit";
import type { OwnActivityDto } from "@/lib/services/own-activity";

/** Every event type in a person's words; the record type makes a new event type fail to compile until it has them. */
const ACTIVITY_LABELS: Record<AuditEventType, string> = {
  "login.success": "Signed in",
  "login.failure": "Failed sign-in",
  "login.throttled": "Sign-in refused while backing off",
  "login.rate_limited": "Sign-in refused: too many attempts",
  signup: "Account created",
  "signup.rate_limited": "Sign-up refused: too many attempts",
  "token.rate_limited": "Token request refused: too many attempts",
  "token.reuse": "A used refresh token came back: its sessions were ended",
  "token.revoke": "Refresh token revoked",
  logout: "Signed out",
  "logout.everywhere": "Signed out everywhere",
  "session.end": "Session ended",
  "session.end_others": "Other sessions ended",
  "password.change": "Password changed",
  "password.reset_request": "Password reset requested",
  "password.reset": "Password reset",
  "email.verify": "Email address confirmed",
  "email.change_request": "Email change requested",
  "email.change": "Email address changed",
  "email.first_proof": "Email address proven; earlier ways in removed",
  "user.role_change": "Role changed",
  "user.lock": "Account locked",
  "user.unlock": "Account unlocked",
  "user.suspend": "Account suspended",
  "user.unsuspend": "Suspension lifted",
  "user.throttle_clear": "Sign-in back-off cleared",
  "user.delete": "Account deleted",
  "api_key.create": "API key created",
  "api_key.revoke": "API key revoked",
  "mfa.enable": "Two-factor authentication turned on",
  "mfa.disable": "Two-factor authentication turned off",
  "mfa.reset": "Two-factor authentication reset",
  "mfa.recovery_codes": "New recovery codes",
  "passkey.add": "Passkey added",
  "passkey.remove": "Passkey removed",
  "account.link": "Sign-in provider linked",
  "account.unlink": "Sign-in provider unlinked",
  "reauth.success": "Password confirmed",
  "reauth.failure": "Wrong password when confirming",
  "reauth.throttled": "Password confirmation refused while backing off",
  "reauth.rate_limited": "Password confirmation refused: too many attempts",
  "mail.retry": "Mail sent again by an administrator",
  "export.users": "Users exported",
  "export.audit": "Audit log exported",
  "impersonation.start": "An administrator viewed your account",
  "impersonation.stop": "An administrator stopped viewing your account",
};

/** Recent activity on the account, newest first: plain markup, no JavaScript. */
export function ActivityList({ events }: { events: OwnActivityDto[] }) {
  if (events.length === 0) return <p className="text-sm text-slate-600">Nothing yet.</p>;
  return (
    <ul className="divide-y divide-slate-100 text-sm">
      {events.map((event) => (
        <li key={event.id} className="py-2">
          <span className="font-medium text-slate-900">{ACTIVITY_LABELS[event.type] ?? event.type}</span>
          {event.count > 1 ? <span className="text-slate-600"> ({event.count} times)</span> : null}
          {event.byAdministrator ? <span className="ml-1 rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-800">by an administrator</span> : null}
          <span className="block text-xs text-slate-500">
            <Timestamp value={event.at} />
            {event.ip ? ` · ${event.ip}` : ""}
            {event.device ? ` · ${event.device}` : ""}
          </span>
        </li>
      ))}
    </ul>
  );
}
