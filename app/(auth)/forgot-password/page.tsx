import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { ForgotPasswordForm } from "@/components/auth/email-forms";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("forgotPassword"))("title") };
}

type SearchParams = Promise<{ sent?: string | string[] }>;

export default async function ForgotPasswordPage({ searchParams }: { searchParams: SearchParams }) {
  const { sent } = await searchParams;
  const [t, site] = await Promise.all([getTranslations("forgotPassword"), getTranslations("site")]);
  return (
    <div className="space-y-4">
      {sent === "1" ? (
        <Alert tone="success">{t("sent")}</Alert>
      ) : null}
      <Card title={t("heading")} description={t("description")}>
        <ForgotPasswordForm />
      </Card>
      <p className="text-center text-sm text-slate-600">
        {t("remembered")}{" "}
        <Link href="/login" className="font-semibold text-indigo-600 hover:text-indigo-500">
          {site("logIn")}
        </Link>
      </p>
    </div>
  );
}
