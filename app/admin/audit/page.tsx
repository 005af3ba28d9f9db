import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { AdminNav } from "@/components/admin/admin-nav";
import { Button } from "@/components/ui/button";
import { Pagination } from "@/components/ui/pagination";
import { PageTitle } from "@/components/ui/card";
import { EmptyRow } from "@/components/ui/data-table";
import { inputClass } from "@/components/ui/field";
import { requireRole } from "@/lib/dal/session";
import { AUDIT_EVENT_TYPES, auditFilterOf, listAuditEvents, type AuditEventDto } from "@/lib/services/audit";
import { auditQuerySchema } from "@/lib/validations/admin";
import { whileAvailable } from "@/lib/dal/availability";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin.audit"))("title") };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function single(value: string | string[] | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

type AuditTranslator = Awaited<ReturnType<typeof getTranslations<"admin.audit">>>;

function who(t: AuditTranslator, person: AuditEventDto["actor"]): string {
  if (!person) return "—";
  return person.username ?? t("deletedUser", { id: person.id });
}

/** The detail's values (`via`, `reason`, `role`) are codes, not words, like the event types: no language changes them. */
function describe(t: AuditTranslator, event: AuditEventDto): string {
  const detail = event.detail ?? {};
  return [
    event.count > 1 && t("detail.repeated", { count: event.count, at: event.lastAt.slice(0, 19).replace("T", " ") }),
    detail.via && t("detail.via", { via: detail.via }),
    detail.reason && detail.reason.replace("_", " "),
    detail.identifier && t("detail.identifier", { identifier: detail.identifier }),
    detail.role && t("detail.role", { role: detail.role }),
    detail.retryAfterSeconds && t("detail.retryAfter", { seconds: detail.retryAfterSeconds }),
    detail.sessionsEnded !== undefined && t("detail.sessionsEnded", { count: detail.sessionsEnded }),
  ]
    .filter(Boolean)
    .join(", ");
}

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  await requireRole("ADMIN", "/admin/audit");
  const params = await searchParams;
  const parsed = auditQuerySchema.safeParse({
    user: single(params.user),
    type: single(params.type),
    from: single(params.from),
    to: single(params.to),
    page: single(params.page),
  });
  const query = parsed.success ? parsed.data : auditQuerySchema.parse({});
  const filter = auditFilterOf(query);
  const { type } = filter;
  const { events, total, page, pageSize } = await whileAvailable(() => listAuditEvents(filter, query.page, query.pageSize));
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const filters = {
    ...(query.user && { user: query.user }),
    ...(type && { type }),
    ...(query.from && { from: query.from }),
    ...(query.to && { to: query.to }),
  };
  const pageHref = (target: number) => `/admin/audit?${new URLSearchParams({ ...filters, page: String(target) })}`;
  const [t, tAdmin] = await Promise.all([getTranslations("admin.audit"), getTranslations("admin")]);

  return (
    <div className="space-y-6">
      <PageTitle>{t("title")}</PageTitle>
      <AdminNav current="audit" />
      {!parsed.success ? <p className="text-sm text-red-700">{t("invalidFilters")}</p> : null}
      <form method="get" action="/admin/audit" className="grid gap-3 sm:grid-cols-5 sm:items-end">
        <div>
          <label htmlFor="user" className="block text-sm font-medium text-slate-700">
            {t("user")}
          </label>
          <input id="user" name="user" placeholder={t("userPlaceholder")} defaultValue={query.user} className={inputClass} />
        </div>
        <div>
          <label htmlFor="type" className="block text-sm font-medium text-slate-700">
            {t("type")}
          </label>
          <select id="type" name="type" defaultValue={type ?? ""} className={inputClass}>
            <option value="">{t("allTypes")}</option>
            {AUDIT_EVENT_TYPES.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="from" className="block text-sm font-medium text-slate-700">
            {t("from")}
          </label>
          <input id="from" name="from" type="date" defaultValue={query.from} className={inputClass} />
        </div>
        <div>
          <label htmlFor="to" className="block text-sm font-medium text-slate-700">
            {t("to")}
          </label>
          <input id="to" name="to" type="date" defaultValue={query.to} className={inputClass} />
        </div>
        <Button type="submit" variant="secondary">
          {t("filter")}
        </Button>
      </form>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <p className="text-sm text-slate-600" aria-live="polite">
          {t("count", { count: total })}
        </p>
        <p className="flex gap-4 text-sm">
          <a href={`/admin/audit/export?${new URLSearchParams({ ...filters, format: "csv" })}`} className="font-medium text-indigo-700 hover:underline">
            {tAdmin("exportCsv")}
          </a>
          <a href={`/admin/audit/export?${new URLSearchParams({ ...filters, format: "jsonl" })}`} className="font-medium text-indigo-700 hover:underline">
            {tAdmin("exportJsonLines")}
          </a>
        </p>
      </div>
      <div className="overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">{t("caption")}</caption>
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-3">{t("time")}</th>
              <th scope="col" className="px-4 py-3">{t("event")}</th>
              <th scope="col" className="px-4 py-3">{t("actor")}</th>
              <th scope="col" className="px-4 py-3">{t("target")}</th>
              <th scope="col" className="px-4 py-3">{t("ip")}</th>
              <th scope="col" className="px-4 py-3">{t("details")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {events.map((event) => (
              <tr key={event.id}>
                <td className="whitespace-nowrap px-4 py-3 text-slate-600">
                  <time dateTime={event.createdAt}>{event.createdAt.slice(0, 19).replace("T", " ")}</time>
                </td>
                <td className="px-4 py-3 font-medium text-slate-900">{event.type}</td>
                <td className="px-4 py-3 text-slate-700">{who(t, event.actor)}</td>
                <td className="px-4 py-3 text-slate-700">{who(t, event.target)}</td>
                <td className="px-4 py-3 font-mono text-xs text-slate-600">{event.ip ?? "—"}</td>
                <td className="px-4 py-3 text-slate-600" title={event.userAgent ?? undefined}>
                  {describe(t, event)}
                </td>
              </tr>
            ))}
            {events.length === 0 ? <EmptyRow columns={6}>{t("none")}</EmptyRow> : null}
          </tbody>
        </table>
      </div>
      <Pagination page={page} pages={pages} href={pageHref} />
    </div>
  );
}
