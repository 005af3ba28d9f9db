import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { isImpersonating } from "@/lib/dal/session";

export default async function Forbidden() {
  const [t, viewing] = await Promise.all([getTranslations("statusPages"), isImpersonating().catch(() => false)]);
  return (
    <div className="mx-auto max-w-md py-16 text-center">
      <p className="text-sm font-semibold text-indigo-600">403</p>
      <h1 className="mt-2 text-2xl font-bold text-slate-900">{t("forbidden")}</h1>
      <p className="mt-3 text-slate-600">{viewing ? t("forbiddenWhileViewing") : t("forbiddenBody")}</p>
      <Link href="/dashboard" className="mt-6 inline-block text-sm font-semibold text-indigo-600 hover:text-indigo-500">
        {t("backToDashboard")}
      </Link>
    </div>
  );
}
