import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { Card } from "@/components/ui/card";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("checkEmail"))("title") };
}

export default async function CheckEmailPage() {
  const t = await getTranslations("checkEmail");
  return (
    <Card title={t("title")}>
      <p className="text-sm text-slate-700">{t("body")}</p>
      <p className="mt-4 text-sm text-slate-600">
        {t("nothingArrived")}{" "}
        <Link href="/verify-email" className="font-semibold text-indigo-600 hover:text-indigo-500">
          {t("sendAgain")}
        </Link>
      </p>
    </Card>
  );
}
