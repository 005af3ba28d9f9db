import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { Card } from "@/components/ui/card";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("resetPassword"))("doneTitle") };
}

export default async function PasswordResetDonePage() {
  const t = await getTranslations("resetPassword");
  return (
    <Card title={t("doneHeading")} description={t("doneDescription")}>
      <Link href="/login" className="font-semibold text-indigo-600 hover:text-indigo-500">
        {t("doneLogIn")}
      </Link>
    </Card>
  );
}
