import Link from "next/link";

const LINKS = [
  { key: "users", href: "/admin", label: "Users" },
  { key: "overview", href: "/admin/overview", label: "Overview" },
  { key: "audit", href: "/admin/audit", label: "Audit log" },
  { key: "mail", href: "/admin/mail", label: "Mail queue" },
] as const;

export function AdminNav({ current }: { current: (typeof LINKS)[number]["key"] }) {
  return (
    <nav aria-label="Admin" className="flex gap-4 border-b border-slate-200 text-sm">
      {LINKS.map((link) => (
        <Link
          key={link.key}
          href={link.href}
          aria-current={link.key === current ? "page" : undefined}
          className={`-mb-px border-b-2 px-1 pb-2 font-medium ${
            link.key === current ? "border-indigo-600 text-indigo-700" : "border-transparent text-slate-600 hover:text-slate-900"
          }`}
        >
          {link.label}
        </Link>
      ))}
    </nav>
  );
}
