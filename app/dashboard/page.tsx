import type { Metadata } from "next";
import Link from "next/link";
import { logoutAction } from "@/app/(auth)/actions";
import { Button } from "@/components/ui/button";
import { Card, PageTitle } from "@/components/ui/card";
import { requireUser } from "@/lib/dal/session";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage() {
  const user = await requireUser("/dashboard");
  return (
    <div className="space-y-6">
      <PageTitle>Dashboard</PageTitle>
      <Card title="Your session">
        <p className="text-slate-700">
          Signed in as <strong className="font-semibold text-slate-900">{user.username}</strong>
        </p>
        <p className="mt-1 text-sm text-slate-500">{user.email}</p>
        <div className="mt-6 flex flex-wrap gap-3">
          <form action={logoutAction}>
            <Button type="submit" variant="secondary">
              Log out
            </Button>
          </form>
          <Link href="/account" className="self-center text-sm font-semibold text-indigo-600 hover:text-indigo-500">
            Account settings
          </Link>
        </div>
      </Card>
    </div>
  );
}
