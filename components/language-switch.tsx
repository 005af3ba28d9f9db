import { getLocale, getTranslations } from "next-intl/server";
import { headers } from "next/headers";
import { setLocaleAction } from "@/app/locale/actions";
import { LANGUAGE_NAMES, LOCALES } from "@/i18n/locales";
import { REQUEST_PATH_HEADER } from "@/lib/security/headers";

/** One button per language, each named in its own language; the current one is marked, not offered. */
export async function LanguageSwitch() {
  const [locale, t, headerList] = await Promise.all([getLocale(), getTranslations("site"), headers()]);
  const returnTo = headerList.get(REQUEST_PATH_HEADER) ?? "/";
  return (
    <form action={setLocaleAction} aria-label={t("language")} className="flex items-center gap-1 text-sm">
      <input type="hidden" name="returnTo" value={returnTo} />
      {LOCALES.map((option) => (
        <button
          key={option}
          type="submit"
          name="locale"
          value={option}
          lang={option}
          aria-current={option === locale ? "true" : undefined}
          className="rounded-md px-2 py-1 text-slate-600 hover:bg-slate-100 hover:text-slate-900 aria-[current=true]:font-semibold aria-[current=true]:text-slate-900"
        >
          {LANGUAGE_NAMES[option]}
        </button>
      ))}
    </form>
  );
}
