import Link from "next/link";
import { getTranslations } from "next-intl/server";

const LINKS = [
  { key: "users", href: "/admin" },
  { key: "overview", href: "/admin/overview" },
  { key: "audit", href: "/admin/audit" },
  { key: "mail", href: "/admin/mail" },
] as const;

export async function AdminNav({ current }: { current: (typeof LINKS)[number]["key"] }) {
  const t = await getTranslations("admin.nav");
  return (
    <nav aria-label={t("label")} className="flex gap-4 border-b border-slate-200 text-sm">
      {LINKS.map((link) => (
        <Link
          key={link.key}
          href={link.href}
          aria-current={link.key === current ? "page" : undefined}
          className={`-mb-px border-b-2 px-1 pb-2 font-medium ${
            link.key === current ? "border-indigo-600 text-indigo-700" : "border-transparent text-slate-600 hover:text-slate-900"
          }`}
        >
          {t(link.key)}
        </Link>
      ))}
    </nav>
  );
}
