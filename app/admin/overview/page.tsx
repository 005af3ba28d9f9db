import type { Metadata } from "next";
import { AdminNav } from "@/components/admin/admin-nav";
import { DailyChart } from "@/components/admin/daily-chart";
import { Card, PageTitle } from "@/components/ui/card";
import { requireRole } from "@/lib/dal/session";
import { getOverview } from "@/lib/services/overview";
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
  const overview = await whileAvailable(getOverview);
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
      <Card title="Last 7 days">
        <DailyChart days={overview.daily} />
      </Card>
    </div>
  );
}
