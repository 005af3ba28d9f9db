import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { redirect } from "next/navigation";
import { VerifyLoginCodeForm } from "@/components/auth/two-factor-forms";
import { Card } from "@/components/ui/card";
import { readChallenge } from "@/lib/auth/mfa-challenge-cookie";
import { safeRedirectPath } from "@/lib/security/redirect-target";
import { currentUser } from "@/lib/dal/session";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("loginVerify"))("title") };
}

type SearchParams = Promise<{ callbackUrl?: string | string[] }>;

export default async function VerifyLoginPage({ searchParams }: { searchParams: SearchParams }) {
  const { callbackUrl } = await searchParams;
  const target = safeRedirectPath(typeof callbackUrl === "string" ? callbackUrl : undefined);
  if (await currentUser()) redirect(target);
  const t = await getTranslations("loginVerify");
  if (!(await readChallenge())) {
    return (
      <Card title={t("expiredTitle")} description={t("expiredDescription")}>
        <Link href={`/login?callbackUrl=${encodeURIComponent(target)}`} className="font-semibold text-indigo-600 hover:text-indigo-500">
          {t("backToLogin")}
        </Link>
      </Card>
    );
  }
  return (
    <Card title={t("title")} description={t("description")}>
      <VerifyLoginCodeForm callbackUrl={target} />
    </Card>
  );
}
