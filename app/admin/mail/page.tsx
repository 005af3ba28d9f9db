import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { retryMailAction } from "@/app/admin/actions";
import { AdminNav } from "@/components/admin/admin-nav";
import { Button } from "@/components/ui/button";
import { PageTitle } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { NoticeAlert } from "@/components/ui/notice-alert";
import { whileAvailable } from "@/lib/dal/availability";
import { requireRole } from "@/lib/dal/session";
import { MAIL_QUEUE_PAGE_SIZE, listQueuedMail, type QueuedMailDto } from "@/lib/services/mail-queue";
import { Timestamp } from "@/components/ui/timestamp";
import type { Messages } from "@/i18n/locales";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin.mail"))("title") };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** A new state fails to compile until `admin.mail.states` has words for it. */
const STATE_LABELS: Record<QueuedMailDto["state"], keyof Messages["admin"]["mail"]["states"]> = { queued: "queued", retrying: "retrying", failed: "failed" };

/** Mail not sent yet or given up on: who it is for, what kind, how it went. Never its body or link. */
export default async function MailQueuePage({ searchParams }: { searchParams: SearchParams }) {
  await requireRole("ADMIN", "/admin/mail");
  const params = await searchParams;
  const mails = await whileAvailable(listQueuedMail);
  const t = await getTranslations("admin.mail");
  return (
    <div className="space-y-6">
      <PageTitle>{t("title")}</PageTitle>
      <AdminNav current="mail" />
      <NoticeAlert notice={typeof params.notice === "string" ? params.notice : undefined} />
      <p className="text-sm text-slate-600">{t("intro", { count: MAIL_QUEUE_PAGE_SIZE })}</p>
      <DataTable
        caption={t("caption")}
        columns={[t("recipient"), t("kind"), t("state"), t("attempts"), t("lastError"), t("queued"), t("nextAttempt"), ""]}
        empty={mails.length === 0 ? t("none") : null}
      >
        {mails.map((mail) => (
          <tr key={mail.id}>
            <td className="px-4 py-3 font-medium text-slate-900">{mail.recipient}</td>
            <td className="px-4 py-3 text-slate-700">{mail.kind}</td>
            <td className="px-4 py-3 text-slate-700">{t(`states.${STATE_LABELS[mail.state]}`)}</td>
            <td className="px-4 py-3 text-slate-700">{mail.attempts}</td>
            <td className="max-w-xs px-4 py-3 text-slate-600">{mail.lastError ?? "—"}</td>
            <td className="px-4 py-3 text-slate-600"><Timestamp value={mail.queuedAt} /></td>
            <td className="px-4 py-3 text-slate-600">{mail.nextAttemptAt ? <Timestamp value={mail.nextAttemptAt} /> : "—"}</td>
            <td className="px-4 py-3 text-right">
              {mail.state === "failed" ? (
                <form action={retryMailAction}>
                  <input type="hidden" name="mailId" value={mail.id} />
                  <input type="hidden" name="returnTo" value="/admin/mail" />
                  <Button type="submit" variant="secondary" aria-label={t("retryLabel", { kind: mail.kind, recipient: mail.recipient })}>
                    {t("retry")}
                  </Button>
                </form>
              ) : null}
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}
