import type { Metadata } from "next";
import { AdminNav } from "@/components/admin/admin-nav";
import { DailyChart } from "@/components/admin/daily-chart";
import { Card, PageTitle } from "@/components/ui/card";
import { requireRole } from "@/lib/dal/session";
import { getOverview } from "@/lib/services/overview";

export const metadata: Metadata = { title: "Overview" };

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
  const overview = await getOverview();
  return (
    <div className="space-y-6">
      <PageTitle>Overview</PageTitle>
      <AdminNav current="overview" />
      <dl className="grid gap-3 sm:grid-cols-4">
        <Stat label="Users" value={overview.users.total} />
        <Stat label="Admins" value={overview.users.admins} />
        <Stat label="Locked" value={overview.users.locked} />
        <Stat label="Unverified" value={overview.users.unverified} />
      </dl>
      <dl className="grid gap-3 sm:grid-cols-3">
        <Stat label="Sign-ups, last 24 hours" value={overview.last24h.signups} />
        <Stat label="Sign-ins, last 24 hours" value={overview.last24h.signIns} />
        <Stat label="Failed sign-ins, last 24 hours" value={overview.last24h.failedSignIns} />
        <Stat label="Sign-ups, last 7 days" value={overview.last7d.signups} />
        <Stat label="Sign-ins, last 7 days" value={overview.last7d.signIns} />
        <Stat label="Failed sign-ins, last 7 days" value={overview.last7d.failedSignIns} />
      </dl>
      <Card title="Last 7 days">
        <DailyChart days={overview.daily} />
      </Card>
    </div>
  );
}
