import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { AdminNav } from "@/components/admin/admin-nav";
import { DailyChart } from "@/components/admin/daily-chart";
import { Card, PageTitle } from "@/components/ui/card";
import { requireRole } from "@/lib/dal/session";
import { getOverview } from "@/lib/services/overview";
import { MAIL_BACKLOG_THRESHOLD_MINUTES, mailQueueCounts } from "@/lib/services/mail-queue";
import { Alert } from "@/components/ui/alert";
import Link from "next/link";
import { whileAvailable } from "@/lib/dal/availability";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin.overview"))("title") };
}

const METRICS = ["signups", "signIns", "failedSignIns"] as const;
const WINDOWS = ["last24h", "last7d"] as const;

async function Stat({ label, value }: { label: string; value: number }) {
  const format = await getFormatter();
  return (
    <div className="rounded-lg bg-slate-50 p-4 ring-1 ring-slate-200">
      <dt className="text-xs font-semibold uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold text-slate-900">{format.number(value)}</dd>
    </div>
  );
}

export default async function OverviewPage() {
  await requireRole("ADMIN", "/admin/overview");
  const [overview, mail] = await whileAvailable(() => Promise.all([getOverview(), mailQueueCounts()]));
  const t = await getTranslations("admin.overview");
  return (
    <div className="space-y-6">
      <PageTitle>{t("title")}</PageTitle>
      <AdminNav current="overview" />
      <dl className="grid gap-3 sm:grid-cols-4">
        {(
          [
            ["users", overview.users.total],
            ["admins", overview.users.admins],
            ["locked", overview.users.locked],
            ["unverified", overview.users.unverified],
          ] as const
        ).map(([label, value]) => (
          <Stat key={label} label={t(label)} value={value} />
        ))}
      </dl>
      <dl className="grid gap-3 sm:grid-cols-3">
        {WINDOWS.flatMap((window) =>
          METRICS.map((metric) => (
            <Stat
              key={`${window}-${metric}`}
              label={t("metricInWindow", { metric: t(`metrics.${metric}`), window: t(`windows.${window}`) })}
              value={overview[window][metric]}
            />
          )),
        )}
      </dl>
      {mail.backlog.waiting > 0 ? (
        <Alert tone="error">
          {t.rich("mailBacklog", {
            count: mail.backlog.waiting,
            threshold: MAIL_BACKLOG_THRESHOLD_MINUTES,
            oldest: mail.backlog.oldestMinutes ?? 0,
            link: (chunks) => (
              <Link href="/admin/mail" className="underline">
                {chunks}
              </Link>
            ),
          })}
        </Alert>
      ) : null}
      <dl className="grid gap-3 sm:grid-cols-4">
        <Stat label={t("mailQueued")} value={mail.queued} />
        <Stat label={t("mailRetrying")} value={mail.retrying} />
        <Stat label={t("mailFailed")} value={mail.failed} />
        <Stat label={t("mailFailedLast24h")} value={mail.failedLast24h} />
      </dl>
      <Card title={t("lastSevenDays")}>
        <DailyChart days={overview.daily} />
      </Card>
    </div>
  );
}
