import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import {
  changeRoleAction,
  clearThrottleAction,
  resetTwoFactorAction,
  deleteUserConfirmedAction,
  endSessionsAction,
  sendPasswordResetAction,
  setLockedAction,
  viewAsUserAction,
} from "@/app/admin/actions";
import { UserActionForm } from "@/components/admin/user-action-form";
import { NoticeAlert } from "@/components/ui/notice-alert";
import { SuspensionCard } from "@/components/admin/suspension-card";
import { Button } from "@/components/ui/button";
import { Card, PageTitle } from "@/components/ui/card";
import { inputClass } from "@/components/ui/field";
import { requireRole } from "@/lib/dal/session";
import { getUserForAdmin } from "@/lib/services/admin";
import { listAuditEvents } from "@/lib/services/audit";
import { IMPERSONATION_REASON_MAX, ROLES, recordIdSchema } from "@/lib/validations/admin";
import { whileAvailable } from "@/lib/dal/availability";
import { Timestamp } from "@/components/ui/timestamp";

export const metadata: Metadata = { title: "User" };

type Params = Promise<{ id: string }>;
type SearchParams = Promise<{ notice?: string | string[] }>;

const RECENT_EVENTS = 20;

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-semibold uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-sm text-slate-900">{children}</dd>
    </div>
  );
}

export default async function AdminUserPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const { id } = await params;
  const admin = await requireRole("ADMIN", `/admin/users/${encodeURIComponent(id)}`);
  const parsedId = recordIdSchema.safeParse(id);
  const user = parsedId.success ? await whileAvailable(() => getUserForAdmin(parsedId.data)) : null;
  if (!user) notFound();
  const { notice } = await searchParams;
  const { events } = await whileAvailable(() => listAuditEvents({ user: user.id }, 1, RECENT_EVENTS));
  const returnTo = `/admin/users/${user.id}`;
  const self = user.id === admin.id;

  return (
    <div className="space-y-6">
      <div className="flex items-baseline justify-between">
        <PageTitle>{user.username}</PageTitle>
        <Link href="/admin" className="text-sm font-medium text-indigo-700 hover:underline">
          Back to users
        </Link>
      </div>
      <NoticeAlert notice={notice} />
      <Card title="Profile">
        <dl className="grid gap-4 sm:grid-cols-3">
          <Fact label="Email">
            {user.email} {user.emailVerified ? "(verified)" : "(unverified)"}
          </Fact>
          <Fact label="Role">{user.role}</Fact>
          <Fact label="Status">{user.locked ? "Locked" : user.suspendedUntil ? "Suspended" : user.throttled ? "Backing off" : "Active"}</Fact>
          <Fact label="Two-factor authentication">{user.twoFactor ? "On" : "Off"}</Fact>
          <Fact label="Passkeys">{user.passkeys}</Fact>
          <Fact label="Created"><Timestamp value={user.createdAt} /></Fact>
          <Fact label="Last sign-in">{user.lastLoginAt ? <Timestamp value={user.lastLoginAt} /> : "Never"}</Fact>
          <Fact label="Active sessions and tokens">
            {user.activeSessions} · {user.apiKeys} API {user.apiKeys === 1 ? "key" : "keys"}
          </Fact>
        </dl>
      </Card>
      <Card title="Actions" description={self ? "You can't demote, lock or delete your own account." : undefined}>
        <div className="flex flex-wrap items-end gap-3">
          <UserActionForm action={changeRoleAction} userId={user.id} returnTo={returnTo} className="flex items-end gap-2">
            <div>
              <label htmlFor="role" className="block text-sm font-medium text-slate-700">
                Role
              </label>
              <select id="role" name="role" defaultValue={user.role} disabled={self} className={inputClass}>
                {ROLES.map((role) => (
                  <option key={role} value={role}>
                    {role}
                  </option>
                ))}
              </select>
            </div>
            <Button type="submit" variant="secondary" disabled={self}>
              Save role
            </Button>
          </UserActionForm>
          <UserActionForm action={setLockedAction} userId={user.id} returnTo={returnTo} fields={{ locked: user.locked ? "false" : "true" }}>
            <Button type="submit" variant="secondary" disabled={self}>
              {user.locked ? "Unlock account" : "Lock account"}
            </Button>
          </UserActionForm>
          {user.throttled ? (
            <UserActionForm action={clearThrottleAction} userId={user.id} returnTo={returnTo}>
              <Button type="submit" variant="secondary">
                Clear back-off
              </Button>
            </UserActionForm>
          ) : null}
          <UserActionForm action={endSessionsAction} userId={user.id} returnTo={returnTo}>
            <Button type="submit" variant="secondary">
              Revoke sessions
            </Button>
          </UserActionForm>
          {user.twoFactor ? (
            <UserActionForm action={resetTwoFactorAction} userId={user.id} returnTo={returnTo}>
              <Button type="submit" variant="secondary">
                Reset two-factor authentication
              </Button>
            </UserActionForm>
          ) : null}
          <UserActionForm action={sendPasswordResetAction} userId={user.id} returnTo={returnTo}>
            <Button type="submit" variant="secondary">
              Send password reset email
            </Button>
          </UserActionForm>
        </div>
      </Card>
      {!self && user.role === "USER" && !user.locked && !user.suspendedUntil ? (
        <Card
          id="view-as"
          title="View as this user"
          description="See the app as they see it, to help them. You confirm your password first; the view is read-only, ends after 30 minutes or when you stop it, and the user sees it in their activity."
        >
          <UserActionForm action={viewAsUserAction} userId={user.id} returnTo={returnTo} className="flex max-w-xl flex-wrap items-end gap-2">
            <div className="grow">
              <label htmlFor="impersonation-reason" className="block text-sm font-medium text-slate-700">
                Purpose of viewing
              </label>
              <input
                id="impersonation-reason"
                name="reason"
                required
                minLength={3}
                maxLength={IMPERSONATION_REASON_MAX}
                autoComplete="off"
                className={inputClass}
              />
            </div>
            <Button type="submit" variant="secondary">
              View as this user
            </Button>
          </UserActionForm>
        </Card>
      ) : null}
      <SuspensionCard suspendedUntil={user.suspendedUntil} reason={user.suspensionReason} disabled={self} userId={user.id} returnTo={returnTo} />
      {self ? null : (
        <Card title="Delete user" description={`Type “${user.username}” to confirm. This can't be undone.`}>
          <UserActionForm action={deleteUserConfirmedAction} userId={user.id} returnTo={returnTo} className="flex max-w-md items-end gap-2">
            <div className="grow">
              <label htmlFor="confirmation" className="block text-sm font-medium text-slate-700">
                Username to confirm
              </label>
              <input id="confirmation" name="confirmation" autoComplete="off" required className={inputClass} />
            </div>
            <Button type="submit" variant="danger">
              Delete user
            </Button>
          </UserActionForm>
        </Card>
      )}
      <Card title="Recent activity">
        {events.length === 0 ? (
          <p className="text-sm text-slate-500">No events yet.</p>
        ) : (
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <caption className="sr-only">Recent audit events</caption>
            <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="py-2 pr-3">Time (UTC)</th>
                <th scope="col" className="py-2 pr-3">Event</th>
                <th scope="col" className="py-2 pr-3">By</th>
                <th scope="col" className="py-2">IP</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {events.map((event) => (
                <tr key={event.id}>
                  <td className="py-2 pr-3 text-slate-600">{event.createdAt.slice(0, 19).replace("T", " ")}</td>
                  <td className="py-2 pr-3 font-medium text-slate-900">
                    {event.type}
                    {event.count > 1 ? ` (${event.count} times)` : ""}
                  </td>
                  <td className="py-2 pr-3 text-slate-700">{event.actor ? (event.actor.username ?? event.actor.id) : "—"}</td>
                  <td className="py-2 font-mono text-xs text-slate-600">{event.ip ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <p className="mt-4 text-sm">
          <Link href={`/admin/audit?${new URLSearchParams({ user: user.id })}`} className="font-medium text-indigo-700 hover:underline">
            Full audit log for this user
          </Link>
        </p>
      </Card>
    </div>
  );
}
