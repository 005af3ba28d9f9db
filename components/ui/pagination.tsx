import Link from "next/link";
import { getTranslations } from "next-intl/server";

const LINK_CLASS = "rounded-md px-3 py-2 font-medium ring-1 ring-slate-300 hover:bg-slate-50";

/** "Page 2 of 9" with Previous/Next links; `href` builds the URL of a page, keeping the list's other parameters. */
export async function Pagination({ page, pages, href }: { page: number; pages: number; href: (page: number) => string }) {
  const t = await getTranslations("pagination");
  return (
    <nav aria-label={t("label")} className="flex items-center justify-between text-sm">
      <span className="text-slate-600">{t("pageOf", { page, pages })}</span>
      <div className="flex gap-2">
        {page > 1 ? (
          <Link href={href(page - 1)} className={LINK_CLASS}>
            {t("previous")}
          </Link>
        ) : null}
        {page < pages ? (
          <Link href={href(page + 1)} className={LINK_CLASS}>
            {t("next")}
          </Link>
        ) : null}
      </div>
    </nav>
  );
}
