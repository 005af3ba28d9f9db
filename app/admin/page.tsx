import type { Metadata } from "next";
import Link from "next/link";
import { changeRoleAction, deleteUserAction } from "@/app/admin/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { PageTitle } from "@/components/ui/card";
import { inputClass } from "@/components/ui/field";
import { requireRole } from "@/lib/dal/session";
import { listUsers } from "@/lib/services/admin";
import { ROLES, listUsersQuerySchema } from "@/lib/validations/admin";

export const metadata: Metadata = { title: "Admin" };

const NOTICES: Record<string, { tone: "success" | "error"; text: string }> = {
  "role-updated": { tone: "success", text: "Role updated." },
  "user-deleted": { tone: "success", text: "User deleted." },
  "last-admin": { tone: "error", text: "The last admin cannot be demoted or deleted." },
  self: { tone: "error", text: "You cannot remove your own admin access or account." },
  "not-found": { tone: "error", text: "That user no longer exists." },
  invalid: { tone: "error", text: "That change is not valid." },
};

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function single(value: string | string[] | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export default async function AdminPage({ searchParams }: { searchParams: SearchParams }) {
  const admin = await requireRole("ADMIN", "/admin");
  const params = await searchParams;
  const parsed = listUsersQuerySchema.safeParse({
    query: single(params.query),
    page: single(params.page),
    pageSize: single(params.pageSize),
  });
  const query = parsed.success ? parsed.data : listUsersQuerySchema.parse({});
  const { users, total, page, pageSize } = await listUsers(query);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const notice = NOTICES[single(params.notice) ?? ""];
  const pageHref = (target: number) =>
    `/admin?${new URLSearchParams({ ...(query.query && { query: query.query }), page: String(target), pageSize: String(pageSize) })}`;
  const returnTo = pageHref(page);

  return (
    <div className="space-y-6">
      <PageTitle>Users</PageTitle>
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      <form method="get" action="/admin" role="search" className="flex max-w-lg gap-2">
        <label htmlFor="query" className="sr-only">
          Search users
        </label>
        <input
          id="query"
          name="query"
          type="search"
          placeholder="Search by email or username"
          defaultValue={query.query}
          className={inputClass}
        />
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </form>
      <p className="text-sm text-slate-600" aria-live="polite">
        {total} {total === 1 ? "user" : "users"}
        {query.query ? ` matching “${query.query}”` : ""}
      </p>
      <div className="overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">Users</caption>
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-3">Username</th>
              <th scope="col" className="px-4 py-3">Email</th>
              <th scope="col" className="px-4 py-3">Role</th>
              <th scope="col" className="px-4 py-3">Created</th>
              <th scope="col" className="px-4 py-3"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {users.map((user) => (
              <tr key={user.id}>
                <td className="px-4 py-3 font-medium text-slate-900">{user.username}</td>
                <td className="px-4 py-3 text-slate-700">{user.email}</td>
                <td className="px-4 py-3">
                  <form action={changeRoleAction} className="flex items-center gap-2">
                    <input type="hidden" name="userId" value={user.id} />
                    <input type="hidden" name="returnTo" value={returnTo} />
                    <label htmlFor={`role-${user.id}`} className="sr-only">
                      Role of {user.username}
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
                      <span className="text-xs text-slate-500">(you)</span>
                    ) : (
                      <Button type="submit" variant="secondary" aria-label={`Save role for ${user.username}`}>
                        Save
                      </Button>
                    )}
                  </form>
                </td>
                <td className="px-4 py-3 text-slate-600">
                  <time dateTime={user.createdAt}>{user.createdAt.slice(0, 10)}</time>
                </td>
                <td className="px-4 py-3 text-right">
                  {user.id === admin.id ? null : (
                    <form action={deleteUserAction}>
                      <input type="hidden" name="userId" value={user.id} />
                      <input type="hidden" name="returnTo" value={returnTo} />
                      <Button type="submit" variant="danger" aria-label={`Delete ${user.username}`}>
                        Delete
                      </Button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
            {users.length === 0 ? (
              <tr>
                <td colSpan={5} className="px-4 py-8 text-center text-slate-500">
                  No users found.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
      <nav aria-label="Pagination" className="flex items-center justify-between text-sm">
        <span className="text-slate-600">
          Page {page} of {pages}
        </span>
        <div className="flex gap-2">
          {page > 1 ? (
            <Link href={pageHref(page - 1)} className="rounded-md px-3 py-2 font-medium ring-1 ring-slate-300 hover:bg-slate-50">
              Previous
            </Link>
          ) : null}
          {page < pages ? (
            <Link href={pageHref(page + 1)} className="rounded-md px-3 py-2 font-medium ring-1 ring-slate-300 hover:bg-slate-50">
              Next
            </Link>
          ) : null}
        </div>
      </nav>
    </div>
  );
}
