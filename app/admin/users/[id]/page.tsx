import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
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
import { UserStatus } from "@/components/admin/user-status";
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
import { canBeViewedAs } from "@/lib/services/impersonation";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("admin.user"))("title") };
}

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
  const [t, tAdmin] = await Promise.all([getTranslations("admin.user"), getTranslations("admin")]);

  return (
    <div className="space-y-6">
      <div className="flex items-baseline justify-between">
        <PageTitle>{user.username}</PageTitle>
        <Link href="/admin" className="text-sm font-medium text-indigo-700 hover:underline">
          {t("backToUsers")}
        </Link>
      </div>
      <NoticeAlert notice={notice} />
      <Card title={t("profile")}>
        <dl className="grid gap-4 sm:grid-cols-3">
          <Fact label={t("email")}>
            {user.email} {user.emailVerified ? t("verified") : t("unverified")}
          </Fact>
          <Fact label={t("role")}>{user.role}</Fact>
          <Fact label={t("status")}>
            <UserStatus user={user} />
          </Fact>
          <Fact label={t("twoFactor")}>{tAdmin(user.twoFactor ? "twoFactorState.on" : "twoFactorState.off")}</Fact>
          <Fact label={t("passkeys")}>{user.passkeys}</Fact>
          <Fact label={t("created")}><Timestamp value={user.createdAt} /></Fact>
          <Fact label={t("lastSignIn")}>{user.lastLoginAt ? <Timestamp value={user.lastLoginAt} /> : tAdmin("never")}</Fact>
          <Fact label={t("sessionsAndTokens")}>{t("sessionsAndKeys", { sessions: user.activeSessions, apiKeys: user.apiKeys })}</Fact>
        </dl>
      </Card>
      <Card title={t("actions")} description={self ? t("selfDescription") : undefined}>
        <div className="flex flex-wrap items-end gap-3">
          <UserActionForm action={changeRoleAction} userId={user.id} returnTo={returnTo} className="flex items-end gap-2">
            <div>
              <label htmlFor="role" className="block text-sm font-medium text-slate-700">
                {t("role")}
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
              {t("saveRole")}
            </Button>
          </UserActionForm>
          <UserActionForm action={setLockedAction} userId={user.id} returnTo={returnTo} fields={{ locked: user.locked ? "false" : "true" }}>
            <Button type="submit" variant="secondary" disabled={self}>
              {t(user.locked ? "unlockAccount" : "lockAccount")}
            </Button>
          </UserActionForm>
          {user.throttled ? (
            <UserActionForm action={clearThrottleAction} userId={user.id} returnTo={returnTo}>
              <Button type="submit" variant="secondary">
                {t("clearBackOff")}
              </Button>
            </UserActionForm>
          ) : null}
          <UserActionForm action={endSessionsAction} userId={user.id} returnTo={returnTo}>
            <Button type="submit" variant="secondary">
              {t("revokeSessions")}
            </Button>
          </UserActionForm>
          {user.twoFactor ? (
            <UserActionForm action={resetTwoFactorAction} userId={user.id} returnTo={returnTo}>
              <Button type="submit" variant="secondary">
                {t("resetTwoFactor")}
              </Button>
            </UserActionForm>
          ) : null}
          <UserActionForm action={sendPasswordResetAction} userId={user.id} returnTo={returnTo}>
            <Button type="submit" variant="secondary">
              {t("sendPasswordReset")}
            </Button>
          </UserActionForm>
        </div>
      </Card>
      {!self && canBeViewedAs(user) ? (
        <Card id="view-as" title={t("viewAs.title")} description={t("viewAs.description")}>
          <UserActionForm action={viewAsUserAction} userId={user.id} returnTo={returnTo} className="flex max-w-xl flex-wrap items-end gap-2">
            <div className="grow">
              <label htmlFor="impersonation-reason" className="block text-sm font-medium text-slate-700">
                {t("viewAs.purpose")}
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
              {t("viewAs.submit")}
            </Button>
          </UserActionForm>
        </Card>
      ) : null}
      <SuspensionCard suspendedUntil={user.suspendedUntil} reason={user.suspensionReason} disabled={self} userId={user.id} returnTo={returnTo} />
      {self ? null : (
        <Card title={t("delete.title")} description={t("delete.description", { username: user.username })}>
          <UserActionForm action={deleteUserConfirmedAction} userId={user.id} returnTo={returnTo} className="flex max-w-md items-end gap-2">
            <div className="grow">
              <label htmlFor="confirmation" className="block text-sm font-medium text-slate-700">
                {t("delete.confirmation")}
              </label>
              <input id="confirmation" name="confirmation" autoComplete="off" required className={inputClass} />
            </div>
            <Button type="submit" variant="danger">
              {t("delete.submit")}
            </Button>
          </UserActionForm>
        </Card>
      )}
      <Card title={t("activity.title")}>
        {events.length === 0 ? (
          <p className="text-sm text-slate-500">{t("activity.none")}</p>
        ) : (
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <caption className="sr-only">{t("activity.caption")}</caption>
            <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="py-2 pr-3">{t("activity.time")}</th>
                <th scope="col" className="py-2 pr-3">{t("activity.event")}</th>
                <th scope="col" className="py-2 pr-3">{t("activity.by")}</th>
                <th scope="col" className="py-2">{t("activity.ip")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {events.map((event) => (
                <tr key={event.id}>
                  <td className="py-2 pr-3 text-slate-600">{event.createdAt.slice(0, 19).replace("T", " ")}</td>
                  <td className="py-2 pr-3 font-medium text-slate-900">
                    {event.type}
                    {event.count > 1 ? ` ${t("activity.times", { count: event.count })}` : ""}
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
            {t("activity.fullLog")}
          </Link>
        </p>
      </Card>
    </div>
  );
}
