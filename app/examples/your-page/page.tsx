import type { Metadata } from "next";
import Link from "next/link";
import { Card, PageTitle } from "@/components/ui/card";
import { requireUser } from "@/lib/dal/session";

export const metadata: Metadata = { title: "Your page" };

/**
 * A worked example of a page of your own app inside Latchkey (docs/embedding.md): the one guard every protected page
 * uses, so a signed-out visitor is sent to /login and lands back here. Copy it, rename it, build on it.
 */
export default async function YourPage() {
  const user = await requireUser("/examples/your-page");
  return (
    <div className="space-y-6">
      <PageTitle>Your page</PageTitle>
      <Card title="Only for signed-in people">
        <p className="text-slate-700">
          Hello, <strong className="font-semibold text-slate-900">{user.username}</strong>. This page is
          <code className="mx-1">app/examples/your-page/page.tsx</code>: it checks the session on the server with
          <code className="mx-1">requireUser()</code>, like the dashboard.
        </p>
        <Link href="/dashboard" className="mt-4 inline-block text-sm font-semibold text-indigo-600 hover:text-indigo-500">
          Back to the dashboard
        </Link>
      </Card>
    </div>
  );
}
