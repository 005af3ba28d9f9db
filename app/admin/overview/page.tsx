import type { Metadata } from "next";
import { AdminNav } from "@/components/admin/admin-nav";
import { DailyChart } from "@/components/admin/daily-chart";
import { Card, PageTitle } from "@/components/ui/card";
import { requireRole } from "@/lib/dal/session";
import { getOverview } from "@/lib/services/overview";
import { MAIL_BACKLOG_THRESHOLD_MINUTES, mailQueueCounts } from "@/lib/services/mail-queue";
import { Alert } from "@/components/ui/alert";
import Link from "next/link";
import { whileAvailable } from "@/lib/dal/availability";

export const metadata: Metadata = { title: "Overview" };

const METRIC_LABELS = { signups: "Sign-ups", signIns: "Sign-ins", failedSignIns: "Failed sign-ins" } as const;
const WINDOW_LABELS = { last24h: "last 24 hours", last7d: "last 7 days" } as const;

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div className="rounded-lg bg-slate-50 p-4 ring-1 ring-slate-200">
      <dt className="text-xs font-semibold uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold text-slate-900">{value.toLocaleString("en")}</dd>
    </div>
  );
}

export default async function OverviewPage() {
  await requireRole("ADMIN", "/admin/overview");
  const [overview, mail] = await whileAvailable(() => Promise.all([getOverview(), mailQueueCounts()]));
  return (
    <div className="space-y-6">
      <PageTitle>Overview</PageTitle>
      <AdminNav current="overview" />
      <dl className="grid gap-3 sm:grid-cols-4">
        {[
          ["Users", overview.users.total],
          ["Admins", overview.users.admins],
          ["Locked", overview.users.locked],
          ["Unverified", overview.users.unverified],
        ].map(([label, value]) => (
          <Stat key={label} label={String(label)} value={Number(value)} />
        ))}
      </dl>
      <dl className="grid gap-3 sm:grid-cols-3">
        {(["last24h", "last7d"] as const).flatMap((window) =>
          (["signups", "signIns", "failedSignIns"] as const).map((metric) => (
            <Stat key={`${window}-${metric}`} label={`${METRIC_LABELS[metric]}, ${WINDOW_LABELS[window]}`} value={overview[window][metric]} />
          )),
        )}
      </dl>
      {mail.backlog.waiting > 0 ? (
        <Alert tone="error">
          {mail.backlog.waiting} {mail.backlog.waiting === 1 ? "mail has" : "mails have"} waited more than {MAIL_BACKLOG_THRESHOLD_MINUTES} minutes
          (the oldest {mail.backlog.oldestMinutes} minutes): is the SMTP server reachable? See the{" "}
          <Link href="/admin/mail" className="underline">
            mail queue
          </Link>
          .
        </Alert>
      ) : null}
      <dl className="grid gap-3 sm:grid-cols-4">
        <Stat label="Mail queued" value={mail.queued} />
        <Stat label="Mail retrying" value={mail.retrying} />
        <Stat label="Mail failed" value={mail.failed} />
        <Stat label="Mail failed, last 24 hours" value={mail.failedLast24h} />
      </dl>
      <Card title="Last 7 days">
        <DailyChart days={overview.daily} />
      </Card>
    </div>
  );
}
