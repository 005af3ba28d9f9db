import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { changeRoleAction, clearThrottleAction, deleteUserAction, endSessionsAction, setLockedAction } from "@/app/admin/actions";
import { AdminNav } from "@/components/admin/admin-nav";
import { NoticeAlert } from "@/components/ui/notice-alert";
import { UserActionForm } from "@/components/admin/user-action-form";
import { UserStatus } from "@/components/admin/user-status";
import { Button } from "@/components/ui/button";
import { Pagination } from "@/components/ui/pagination";
import { PageTitle } from "@/components/ui/card";
import { EmptyRow } from "@/components/ui/data-table";
import { inputClass } from "@/components/ui/field";
import { requireRole } from "@/lib/dal/session";
import { listUsersWithStatus } from "@/lib/services/admin";
import { ROLES, listUsersQuerySchema, type UserSort } from "@/lib/validations/admin";
import { whileAvailable } from "@/lib/dal/availability";
import { Timestamp } from "@/components/ui/timestamp";
import { canBeViewedAs } from "@/lib/services/impersonation";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin"))("title") };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function single(value: string | string[] | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/**
 * Columns a narrow window leaves out, so the table fits a 1280-pixel window whole; a phone keeps the name (which leads
 * to the user's page, where every control is) and the status.
 */
const WIDE_ONLY = { sm: "hidden sm:table-cell", md: "hidden md:table-cell", lg: "hidden lg:table-cell" } as const;

export default async function AdminPage({ searchParams }: { searchParams: SearchParams }) {
  const admin = await requireRole("ADMIN", "/admin");
  const params = await searchParams;
  const parsed = listUsersQuerySchema.safeParse({
    query: single(params.query),
    sort: single(params.sort),
    order: single(params.order),
    page: single(params.page),
    pageSize: single(params.pageSize),
  });
  const query = parsed.success ? parsed.data : listUsersQuerySchema.parse({});
  const { users, total, page, pageSize } = await whileAvailable(() => listUsersWithStatus(query));
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const listHref = (changes: { page?: number; sort?: UserSort; order?: "asc" | "desc" }) =>
    `/admin?${new URLSearchParams({
      ...(query.query && { query: query.query }),
      sort: changes.sort ?? query.sort,
      order: changes.order ?? query.order,
      page: String(changes.page ?? page),
      pageSize: String(pageSize),
    })}`;
  const pageHref = (target: number) => listHref({ page: target });
  const [t, tAdmin] = await Promise.all([getTranslations("admin.users"), getTranslations("admin")]);
  const sortHeader = (sort: UserSort, label: string, visibility = "") => {
    const active = query.sort === sort;
    const next = active && query.order === "desc" ? "asc" : "desc";
    return (
      <th scope="col" className={`${visibility} px-3 py-3`} aria-sort={active ? (query.order === "asc" ? "ascending" : "descending") : undefined}>
        <Link href={listHref({ sort, order: next, page: 1 })} className="hover:text-slate-900">
          {label}
          {active ? (query.order === "asc" ? " ↑" : " ↓") : ""}
        </Link>
      </th>
    );
  };
  const returnTo = pageHref(page);

  return (
    <div className="space-y-6">
      <PageTitle>{t("title")}</PageTitle>
      <AdminNav current="users" />
      <NoticeAlert notice={single(params.notice)} />
      <form method="get" action="/admin" role="search" className="flex max-w-lg gap-2">
        <input type="hidden" name="sort" value={query.sort} />
        <input type="hidden" name="order" value={query.order} />
        <label htmlFor="query" className="sr-only">
          {t("searchLabel")}
        </label>
        <input
          id="query"
          name="query"
          type="search"
          placeholder={t("searchPlaceholder")}
          defaultValue={query.query}
          className={inputClass}
        />
        <Button type="submit" variant="secondary">
          {t("search")}
        </Button>
      </form>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <p className="text-sm text-slate-600" aria-live="polite">
          {query.query ? t("countMatching", { count: total, query: query.query }) : t("count", { count: total })}
        </p>
        <a href={`/admin/users/export?${new URLSearchParams(query.query ? { query: query.query } : {})}`} className="text-sm font-medium text-indigo-700 hover:underline">
          {tAdmin("exportCsv")}
        </a>
      </div>
      <div className="overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">{t("caption")}</caption>
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
            <tr>
              {sortHeader("username", t("username"))}
              {sortHeader("email", t("email"), WIDE_ONLY.md)}
              <th scope="col" className={`${WIDE_ONLY.sm} px-3 py-3`}>{t("role")}</th>
              <th scope="col" className="px-3 py-3">{t("status")}</th>
              <th scope="col" className={`${WIDE_ONLY.sm} px-3 py-3`}>{t("twoFactor")}</th>
              {sortHeader("created", t("created"), WIDE_ONLY.lg)}
              {sortHeader("lastLogin", t("lastSignIn"), WIDE_ONLY.lg)}
              <th scope="col" className={`${WIDE_ONLY.sm} px-3 py-3`}><span className="sr-only">{t("actions")}</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {users.map((user) => (
              <tr key={user.id}>
                <td className="break-all px-3 py-3 font-medium text-slate-900">
                  <Link href={`/admin/users/${user.id}`} className="hover:underline">
                    {user.username}
                  </Link>
                  {/* Narrow windows hide the email column; the address stays readable under the name. */}
                  <span className="block break-all text-xs font-normal text-slate-600 md:hidden">{user.email}</span>
                </td>
                <td className={`${WIDE_ONLY.md} max-w-56 break-all px-3 py-3 text-slate-700`}>
                  {user.email}
                  {user.emailVerified ? null : <span className="ml-1 text-xs text-amber-700">{t("unverified")}</span>}
                </td>
                <td className={`${WIDE_ONLY.sm} px-3 py-3`}>
                  <UserActionForm action={changeRoleAction} userId={user.id} returnTo={returnTo} className="flex items-center gap-2">
                    <label htmlFor={`role-${user.id}`} className="sr-only">
                      {t("roleOf", { username: user.username })}
                    </label>
                    <select
                      id={`role-${user.id}`}
                      name="role"
                      defaultValue={user.role}
                      disabled={user.id === admin.id}
                      className="rounded-md border-0 py-1.5 pl-2 pr-8 text-sm ring-1 ring-inset ring-slate-300"
                    >
                      {ROLES.map((role) => (
                        <option key={role} value={role}>
                          {role}
                        </option>
                      ))}
                    </select>
                    {user.id === admin.id ? (
                      <span className="text-xs text-slate-500">{t("you")}</span>
                    ) : (
                      <Button type="submit" variant="secondary" aria-label={t("saveRoleLabel", { username: user.username })}>
                        {t("save")}
                      </Button>
                    )}
                  </UserActionForm>
                </td>
                <td className="px-3 py-3">
                  <span className="block text-slate-700"><UserStatus user={user} /></span>
                  {user.id === admin.id ? null : (
                    <div className="mt-1 hidden flex-wrap gap-2 sm:flex">
                      <UserActionForm action={setLockedAction} userId={user.id} returnTo={returnTo} fields={{ locked: user.locked ? "false" : "true" }}>
                        <Button type="submit" variant="secondary" aria-label={t(user.locked ? "unlockLabel" : "lockLabel", { username: user.username })}>
                          {t(user.locked ? "unlock" : "lock")}
                        </Button>
                      </UserActionForm>
                      {user.throttled ? (
                        <UserActionForm action={clearThrottleAction} userId={user.id} returnTo={returnTo}>
                          <Button type="submit" variant="secondary" aria-label={t("clearBackOffLabel", { username: user.username })}>
                            {t("clearBackOff")}
                          </Button>
                        </UserActionForm>
                      ) : null}
                      <UserActionForm action={endSessionsAction} userId={user.id} returnTo={returnTo}>
                        <Button type="submit" variant="secondary" aria-label={t("revokeSessionsLabel", { username: user.username })}>
                          {t("revokeSessions")}
                        </Button>
                      </UserActionForm>
                    </div>
                  )}
                </td>
                <td className={`${WIDE_ONLY.sm} px-3 py-3 text-slate-700`}>{tAdmin(user.twoFactor ? "twoFactorState.on" : "twoFactorState.off")}</td>
                <td className={`${WIDE_ONLY.lg} px-3 py-3 text-slate-600`}>
                  <Timestamp value={user.createdAt} precision="day" />
                </td>
                <td className={`${WIDE_ONLY.lg} px-3 py-3 text-slate-600`}>
                  {user.lastLoginAt ? <Timestamp value={user.lastLoginAt} /> : tAdmin("never")}
                </td>
                <td className={`${WIDE_ONLY.sm} px-3 py-3 text-right`}>
                  {user.id === admin.id ? null : (
                    <div className="flex flex-col items-end gap-2">
                      {canBeViewedAs(user) ? (
                        <Link
                          href={`/admin/users/${user.id}#view-as`}
                          aria-label={t("viewAsLabel", { username: user.username })}
                          className="whitespace-nowrap text-sm font-medium text-indigo-700 hover:underline"
                        >
                          {t("viewAs")}
                        </Link>
                      ) : null}
                      <UserActionForm action={deleteUserAction} userId={user.id} returnTo={returnTo}>
                        <Button type="submit" variant="danger" aria-label={t("deleteLabel", { username: user.username })}>
                          {t("delete")}
                        </Button>
                      </UserActionForm>
                    </div>
                  )}
                </td>
              </tr>
            ))}
            {users.length === 0 ? <EmptyRow columns={8}>{t("none")}</EmptyRow> : null}
          </tbody>
        </table>
      </div>
      <Pagination page={page} pages={pages} href={pageHref} />
    </div>
  );
}
