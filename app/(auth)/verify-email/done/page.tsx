import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { Card } from "@/components/ui/card";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("verifyEmail"))("doneTitle") };
}

type SearchParams = Promise<{ changed?: string | string[] }>;

export default async function VerifyEmailDonePage({ searchParams }: { searchParams: SearchParams }) {
  const changed = (await searchParams).changed === "1";
  const t = await getTranslations("verifyEmail");
  return (
    <Card title={t(changed ? "changedHeading" : "confirmedHeading")}>
      <p className="text-sm text-slate-700">{t(changed ? "changedBody" : "confirmedBody")}</p>
      <p className="mt-4 text-sm">
        <Link href="/dashboard" className="font-semibold text-indigo-600 hover:text-indigo-500">
          {t("continue")}
        </Link>
      </p>
    </Card>
  );
}
