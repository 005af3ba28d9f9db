import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { ResetPasswordForm } from "@/components/auth/email-forms";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { env } from "@/lib/env";
import { isResetTokenUsable } from "@/lib/services/email-flows";
import { whileAvailable } from "@/lib/dal/availability";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("resetPassword"))("title") };
}

type SearchParams = Promise<{ token?: string | string[] }>;

export default async function ResetPasswordPage({ searchParams }: { searchParams: SearchParams }) {
  const { token } = await searchParams;
  const t = await getTranslations("resetPassword");
  if (typeof token !== "string" || !(await whileAvailable(() => isResetTokenUsable(token)))) {
    return (
      <div className="space-y-4">
        <Alert tone="error">{t("invalidLink")}</Alert>
        <p className="text-center text-sm text-slate-600">
          <Link href="/forgot-password" className="font-semibold text-indigo-600 hover:text-indigo-500">
            {t("askAgain")}
          </Link>
        </p>
      </div>
    );
  }
  return (
    <Card title={t("heading")} description={t("description")}>
      <ResetPasswordForm token={token} minPasswordLength={env().PASSWORD_MIN_LENGTH} />
    </Card>
  );
}
