import { getTranslations } from "next-intl/server";
import Image from "next/image";
import Link from "next/link";
import { logoutAction } from "@/app/(auth)/actions";
import { currentSessionForFrame } from "@/lib/dal/session";
import { brand } from "@/lib/env/branding";

const linkClass = "rounded-md px-2 py-2 text-sm font-medium sm:px-3 text-slate-700 hover:bg-slate-100 hover:text-slate-900";

export async function SiteHeader() {
  // The header stays up during a database outage; the page below it says what is wrong.
  const [session, t] = await Promise.all([currentSessionForFrame(), getTranslations("site")]);
  const user = session?.user;
  const { name, logoUrl } = brand();
  return (
    <header className="border-b border-slate-200 bg-white">
      <nav aria-label={t("mainNav")} className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-y-1 px-4 py-3">
        <Link href="/" className="flex items-center gap-2 text-base font-bold tracking-tight text-slate-900">
          {logoUrl ? (
            <Image src={logoUrl} alt="" width={28} height={28} unoptimized className="size-7 rounded-md object-contain" />
          ) : (
            <span aria-hidden="true" className="grid size-7 place-items-center rounded-md bg-indigo-600 text-white">
              ⌂
            </span>
          )}
          {name}
        </Link>
        <div className="flex flex-wrap items-center justify-end gap-x-1">
          {user ? (
            <>
              <Link href="/dashboard" className={linkClass}>
                {t("dashboard")}
              </Link>
              <Link href="/account" className={linkClass}>
                {t("account")}
              </Link>
              {user.role === "ADMIN" ? (
                <Link href="/admin" className={linkClass}>
                  {t("admin")}
                </Link>
              ) : null}
              <form action={logoutAction}>
                <button type="submit" className={linkClass}>
                  {t("logOut")}
                </button>
              </form>
            </>
          ) : (
            <>
              <Link href="/login" className={linkClass}>
                {t("logIn")}
              </Link>
              <Link href="/signup" className={linkClass}>
                {t("signUp")}
              </Link>
            </>
          )}
        </div>
      </nav>
    </header>
  );
}
