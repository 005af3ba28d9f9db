import { getTranslations } from "next-intl/server";
import { endOtherSessionsAction, endSessionAction } from "@/app/account/actions";
import { Button } from "@/components/ui/button";
import { RecordAction } from "@/components/ui/record-action";
import type { SessionView } from "@/lib/services/sessions";
import { Timestamp } from "@/components/ui/timestamp";
import type { Messages } from "@/i18n/locales";

const KIND_LABELS: Record<SessionView["kind"], `kinds.${keyof Messages["account"]["sessions"]["kinds"]}`> = { browser: "kinds.browser", api: "kinds.api" };

/** "Where you're signed in": plain forms, so it works without JavaScript. */
export async function SessionList({ sessions }: { sessions: SessionView[] }) {
  const t = await getTranslations("account.sessions");
  return (
    <div className="mb-6">
      <table className="mb-4 min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">{t("caption")}</caption>
        <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className="py-2 pr-3">{t("device")}</th>
            <th scope="col" className="py-2 pr-3">{t("address")}</th>
            <th scope="col" className="py-2 pr-3">{t("started")}</th>
            <th scope="col" className="py-2 pr-3">{t("lastUsed")}</th>
            <th scope="col" className="py-2"><span className="sr-only">{t("actions")}</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {sessions.map((session) => (
            <tr key={session.id}>
              <td className="py-2 pr-3">
                <span className="font-medium text-slate-900">{session.device}</span>{" "}
                <span className="text-xs text-slate-500">{t(KIND_LABELS[session.kind])}</span>
                {session.current ? <span className="ml-2 rounded bg-emerald-50 px-1.5 py-0.5 text-xs text-emerald-800">{t("thisDevice")}</span> : null}
              </td>
              <td className="py-2 pr-3 text-slate-600">{session.ip ?? t("unknownAddress")}</td>
              <td className="py-2 pr-3 text-slate-600"><Timestamp value={session.createdAt} /></td>
              <td className="py-2 pr-3 text-slate-600"><Timestamp value={session.lastUsedAt} /></td>
              <td className="py-2 text-right">
                <RecordAction action={endSessionAction} id={session.id}>
                  {t("signOut")}
                </RecordAction>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form action={endOtherSessionsAction}>
        <Button type="submit" variant="secondary">
          {t("signOutOthers")}
        </Button>
      </form>
    </div>
  );
}
