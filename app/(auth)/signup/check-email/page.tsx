import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";

export const metadata: Metadata = { title: "Check your inbox" };

export default function CheckEmailPage() {
  return (
    <Card title="Check your inbox">
      <p className="text-sm text-slate-700">
        We sent a link to confirm your email address. Open it, then log in. The link works for 24 hours.
      </p>
      <p className="mt-4 text-sm text-slate-600">
        Nothing arrived?{" "}
        <Link href="/verify-email" className="font-semibold text-indigo-600 hover:text-indigo-500">
          Send it again
        </Link>
      </p>
    </Card>
  );
}
