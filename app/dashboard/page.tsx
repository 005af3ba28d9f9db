import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { logoutAction } from "@/app/(auth)/actions";
import { Button } from "@/components/ui/button";
import { Card, PageTitle } from "@/components/ui/card";
import { requireUser } from "@/lib/dal/session";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("dashboard"))("title") };
}

export default async function DashboardPage() {
  const user = await requireUser("/dashboard");
  const [t, site] = await Promise.all([getTranslations("dashboard"), getTranslations("site")]);
  return (
    <div className="space-y-6">
      <PageTitle>{t("title")}</PageTitle>
      <Card title={t("session")}>
        <p className="text-slate-700">
          {t.rich("signedInAs", {
            username: user.username,
            strong: (chunks) => <strong className="font-semibold text-slate-900">{chunks}</strong>,
          })}
        </p>
        <p className="mt-1 text-sm text-slate-500">{user.email}</p>
        <div className="mt-6 flex flex-wrap gap-3">
          <form action={logoutAction}>
            <Button type="submit" variant="secondary">
              {site("logOut")}
            </Button>
          </form>
          <Link href="/account" className="self-center text-sm font-semibold text-indigo-600 hover:text-indigo-500">
            {t("accountSettings")}
          </Link>
        </div>
      </Card>
    </div>
  );
}
