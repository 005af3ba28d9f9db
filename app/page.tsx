import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { currentUser } from "@/lib/dal/session";
import { brand } from "@/lib/env/branding";

const primary = "rounded-md bg-indigo-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500";
const secondary =
  "rounded-md bg-white px-4 py-2.5 text-sm font-semibold text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50";

export default async function HomePage() {
  const [user, t, site] = await Promise.all([currentUser(), getTranslations("home"), getTranslations("site")]);
  return (
    <div className="mx-auto max-w-2xl py-12 text-center">
      <h1 className="text-4xl font-bold tracking-tight text-slate-900">{brand().name}</h1>
      <p className="mt-4 text-lg text-slate-600">{t("tagline")}</p>
      <div className="mt-8 flex justify-center gap-3">
        {user ? (
          <Link href="/dashboard" className={primary}>
            {site("dashboard")}
          </Link>
        ) : (
          <>
            <Link href="/login" className={secondary}>
              {site("logIn")}
            </Link>
            <Link href="/signup" className={primary}>
              {site("signUp")}
            </Link>
          </>
        )}
      </div>
    </div>
  );
}
