import { getTranslations } from "next-intl/server";
import { Timestamp } from "@/components/ui/timestamp";
import type { Messages } from "@/i18n/locales";
import type { AuditEventType } from "@/lib/services/audit";
import type { OwnActivityDto } from "@/lib/services/own-activity";

/** Every event type's words (`account.activity.types`); the record type makes a new event type fail to compile until it has them. */
const ACTIVITY_LABELS: Record<AuditEventType, keyof Messages["account"]["activity"]["types"]> = {
  "login.success": "login_success",
  "login.failure": "login_failure",
  "login.throttled": "login_throttled",
  "login.rate_limited": "login_rate_limited",
  signup: "signup",
  "signup.rate_limited": "signup_rate_limited",
  "token.rate_limited": "token_rate_limited",
  "token.reuse": "token_reuse",
  "token.revoke": "token_revoke",
  logout: "logout",
  "logout.everywhere": "logout_everywhere",
  "session.end": "session_end",
  "session.end_others": "session_end_others",
  "password.change": "password_change",
  "password.reset_request": "password_reset_request",
  "password.reset": "password_reset",
  "email.verify": "email_verify",
  "email.change_request": "email_change_request",
  "email.change": "email_change",
  "email.first_proof": "email_first_proof",
  "user.role_change": "user_role_change",
  "user.lock": "user_lock",
  "user.unlock": "user_unlock",
  "user.suspend": "user_suspend",
  "user.unsuspend": "user_unsuspend",
  "user.throttle_clear": "user_throttle_clear",
  "user.delete": "user_delete",
  "api_key.create": "api_key_create",
  "api_key.revoke": "api_key_revoke",
  "mfa.enable": "mfa_enable",
  "mfa.disable": "mfa_disable",
  "mfa.reset": "mfa_reset",
  "mfa.recovery_codes": "mfa_recovery_codes",
  "passkey.add": "passkey_add",
  "passkey.remove": "passkey_remove",
  "account.link": "account_link",
  "account.unlink": "account_unlink",
  "reauth.success": "reauth_success",
  "reauth.failure": "reauth_failure",
  "reauth.throttled": "reauth_throttled",
  "reauth.rate_limited": "reauth_rate_limited",
  "mail.retry": "mail_retry",
  "export.users": "export_users",
  "export.audit": "export_audit",
  "impersonation.start": "impersonation_start",
  "impersonation.stop": "impersonation_stop",
};

/** Recent activity on the account, newest first: plain markup, no JavaScript. */
export async function ActivityList({ events }: { events: OwnActivityDto[] }) {
  const t = await getTranslations("account.activity");
  if (events.length === 0) return <p className="text-sm text-slate-600">{t("empty")}</p>;
  return (
    <ul className="divide-y divide-slate-100 text-sm">
      {events.map((event) => (
        <li key={event.id} className="py-2">
          <span className="font-medium text-slate-900">{ACTIVITY_LABELS[event.type] ? t(`types.${ACTIVITY_LABELS[event.type]}`) : event.type}</span>
          {event.count > 1 ? <span className="text-slate-600">{" "}{t("times", { count: event.count })}</span> : null}
          {event.byAdministrator ? <span className="ml-1 rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-800">{t("byAdministrator")}</span> : null}
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
