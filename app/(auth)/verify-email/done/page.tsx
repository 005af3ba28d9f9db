import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";

export const metadata: Metadata = { title: "Email confirmed" };

type SearchParams = Promise<{ changed?: string | string[] }>;

export default async function VerifyEmailDonePage({ searchParams }: { searchParams: SearchParams }) {
  const changed = (await searchParams).changed === "1";
  return (
    <Card title={changed ? "Email address changed" : "Email address confirmed"}>
      <p className="text-sm text-slate-700">
        {changed ? "Your account now uses the new address; the old one has been told." : "Thank you: your email address is confirmed."}
      </p>
      <p className="mt-4 text-sm">
        <Link href="/dashboard" className="font-semibold text-indigo-600 hover:text-indigo-500">
          Continue
        </Link>
      </p>
    </Card>
  );
}
