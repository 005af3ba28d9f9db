import type { Metadata } from "next";
import { getLocale, getTranslations } from "next-intl/server";
import { supportedLocale } from "@/i18n/locales";
import { logoutEverywhereAction } from "@/app/account/actions";
import { ChangePasswordForm } from "@/components/auth/change-password-form";
import { revokeApiKeyAction } from "@/app/account/api-key-actions";
import { CreateApiKeyForm } from "@/components/auth/api-key-form";
import { DeleteAccountForm } from "@/components/auth/delete-account-form";
import { ChangeEmailForm } from "@/components/auth/email-forms";
import { ResendMyVerificationButton } from "@/components/auth/resend-my-verification";
import { NoticeAlert } from "@/components/ui/notice-alert";
import { Button } from "@/components/ui/button";
import { Card, PageTitle } from "@/components/ui/card";
import { requireSession } from "@/lib/dal/session";
import { isSessionRecentlyAuthenticated, listUserSessions } from "@/lib/services/sessions";
import { SessionList } from "@/components/auth/session-list";
import { getUser } from "@/lib/services/accounts";
import { listApiKeys } from "@/lib/services/api-keys";
import { scopesAllowedFor } from "@/lib/validations/api-key-scopes";
import { env } from "@/lib/env";
import { TwoFactorPanel } from "@/components/auth/two-factor-forms";
import { AddPasskeyForm } from "@/components/auth/passkey-forms";
import { removePasskeyAction, renamePasskeyAction } from "@/app/account/passkey-actions";
import { inputClass } from "@/components/ui/field";
import { listPasskeys } from "@/lib/services/passkeys";
import { listLinkedAccounts } from "@/lib/services/federation";
import { federatedProviders } from "@/lib/services/federated-providers";
import { FederatedButtons } from "@/components/auth/federated-buttons";
import { unlinkAccountAction } from "@/app/account/actions";
import { linkProviderAction } from "@/app/account/link-provider-actions";
import { twoFactorStatus } from "@/lib/services/two-factor";
import { whileAvailable } from "@/lib/dal/availability";
import { Timestamp } from "@/components/ui/timestamp";
import { ActivityList } from "@/components/auth/activity-list";
import { AccountIntlProvider } from "@/components/auth/account-intl-provider";
import { listOwnActivity } from "@/lib/services/own-activity";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("account"))("title") };
}

type SearchParams = Promise<{ notice?: string | string[] }>;

/** The page's sections, in order, for the navigation at its top; each id is the anchor of its group of cards. */
const SECTIONS = [
  ["profile", "profile"],
  ["security", "security"],
  ["sessions", "sessions"],
  ["api-keys", "apiKeys"],
  ["activity", "activity"],
  ["danger-zone", "dangerZone"],
] as const;

function Section({ id, children }: { id: (typeof SECTIONS)[number][0]; children: React.ReactNode }) {
  return (
    <div id={id} className="scroll-mt-16 space-y-6">
      {children}
    </div>
  );
}

export default async function AccountPage({ searchParams }: { searchParams: SearchParams }) {
  const { user, sessionId } = await requireSession("/account");
  const [profile, apiKeys, twoFactor, passkeys, linked] = await whileAvailable(() =>
    Promise.all([getUser(user.id), listApiKeys(user.id), isSessionRecentlyAuthenticated(sessionId).then((recent) => twoFactorStatus(user.id, { revealPending: recent })), listPasskeys(user.id), listLinkedAccounts(user.id)]),
  );
  const locale = supportedLocale(await getLocale());
  const [sessions, activity] = await whileAvailable(() =>
    Promise.all([listUserSessions(user.id, sessionId, locale), listOwnActivity(user.id, { locale })]),
  );
  const linkable = federatedProviders().filter((provider) => !linked.some((account) => account.provider === provider.id));
  const { notice } = await searchParams;
  const t = await getTranslations("account");
  return (
    <AccountIntlProvider>
      <div className="mx-auto max-w-2xl space-y-6">
        <PageTitle>{t("title")}</PageTitle>
        <nav aria-label={t("sectionsLabel")} className="sticky top-0 z-10 -mx-2 flex flex-wrap gap-1 bg-slate-50/95 px-2 py-2">
          {SECTIONS.map(([id, label]) => (
            <a key={id} href={`#${id}`} className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-200 hover:text-slate-900">
              {t(`sections.${label}`)}
            </a>
          ))}
        </nav>
        <NoticeAlert notice={notice} />
        <Section id="profile">
          <Card title={t("email.title")}>
            <p className="mb-4 text-sm text-slate-700">
              <strong>{user.email}</strong> {profile?.emailVerified ? t("email.confirmed") : t("email.notConfirmed")}
            </p>
            {profile?.emailVerified ? null : <ResendMyVerificationButton />}
            <div className="mt-6">
              <ChangeEmailForm />
            </div>
          </Card>
        </Section>
        <Section id="security">
          <Card title={t("password.title")}>
            <ChangePasswordForm minPasswordLength={env().PASSWORD_MIN_LENGTH} username={user.username} />
          </Card>
          <Card id="two-factor" title={t("twoFactor.title")} description={t("twoFactor.description")}>
            <TwoFactorPanel status={twoFactor} />
          </Card>
          <Card title={t("passkeys.title")} description={t("passkeys.description")}>
            {passkeys.length ? (
              <ul aria-label={t("passkeys.listLabel")} className="mb-6 divide-y divide-slate-100 text-sm">
                {passkeys.map((passkey) => (
                  <li key={passkey.id} className="flex flex-wrap items-end gap-3 py-3">
                    <form action={renamePasskeyAction} className="flex items-end gap-2">
                      <input type="hidden" name="id" value={passkey.id} />
                      <div>
                        <label htmlFor={`passkey-${passkey.id}`} className="block text-xs text-slate-500">
                          {passkey.lastUsedAt
                            ? t.rich("passkeys.addedAndUsed", {
                                created: () => <Timestamp value={passkey.createdAt} precision="day" />,
                                used: () => <Timestamp value={passkey.lastUsedAt!} precision="day" />,
                              })
                            : t.rich("passkeys.addedNeverUsed", { created: () => <Timestamp value={passkey.createdAt} precision="day" /> })}
                        </label>
                        <input
                          id={`passkey-${passkey.id}`}
                          name="name"
                          defaultValue={passkey.name}
                          maxLength={64}
                          aria-label={t("passkeys.nameOf", { name: passkey.name })}
                          className={inputClass}
                        />
                      </div>
                      <Button type="submit" variant="secondary" aria-label={t("passkeys.renameLabel", { name: passkey.name })}>
                        {t("passkeys.rename")}
                      </Button>
                    </form>
                    <form action={removePasskeyAction}>
                      <input type="hidden" name="id" value={passkey.id} />
                      <Button type="submit" variant="secondary" aria-label={t("passkeys.removeLabel", { name: passkey.name })}>
                        {t("passkeys.remove")}
                      </Button>
                    </form>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="mb-6 text-sm text-slate-600">{t("passkeys.none")}</p>
            )}
            <AddPasskeyForm />
          </Card>
          {linked.length || linkable.length ? (
            <Card title={t("providers.title")} description={t("providers.description")}>
              {linked.length ? (
                <ul aria-label={t("providers.listLabel")} className="mb-4 divide-y divide-slate-100 text-sm">
                  {linked.map((account) => (
                    <li key={account.provider} className="flex items-center justify-between py-2">
                      <span className="font-medium text-slate-900">{account.name}</span>
                      <form action={unlinkAccountAction}>
                        <input type="hidden" name="provider" value={account.provider} />
                        <Button type="submit" variant="secondary">
                          {t("providers.unlink", { provider: account.name })}
                        </Button>
                      </form>
                    </li>
                  ))}
                </ul>
              ) : null}
              <FederatedButtons
                providers={linkable}
                callbackUrl="/account?notice=provider-linked"
                label={(provider) => t("providers.link", { provider })}
                action={linkProviderAction}
              />
            </Card>
          ) : null}
        </Section>
        <Section id="sessions">
          <Card title={t("sessions.title")} description={t("sessions.description")}>
            <SessionList sessions={sessions} />
            <form action={logoutEverywhereAction}>
              <Button type="submit" variant="secondary">
                {t("sessions.logOutEverywhere")}
              </Button>
            </form>
          </Card>
        </Section>
        <Section id="api-keys">
          <Card title={t("apiKeys.title")} description={t("apiKeys.description")}>
            {apiKeys.length ? (
              <table className="mb-6 min-w-full divide-y divide-slate-200 text-sm">
                <caption className="sr-only">{t("apiKeys.caption")}</caption>
                <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
                  <tr>
                    <th scope="col" className="py-2 pr-3">{t("apiKeys.name")}</th>
                    <th scope="col" className="py-2 pr-3">{t("apiKeys.key")}</th>
                    <th scope="col" className="py-2 pr-3">{t("apiKeys.scopes")}</th>
                    <th scope="col" className="py-2 pr-3">{t("apiKeys.created")}</th>
                    <th scope="col" className="py-2 pr-3">{t("apiKeys.lastUsed")}</th>
                    <th scope="col" className="py-2 pr-3">{t("apiKeys.expires")}</th>
                    <th scope="col" className="py-2"><span className="sr-only">{t("apiKeys.actions")}</span></th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {apiKeys.map((apiKey) => (
                    <tr key={apiKey.id}>
                      <td className="py-2 pr-3 font-medium text-slate-900">{apiKey.name}</td>
                      <td className="py-2 pr-3 font-mono text-xs text-slate-600">{`${apiKey.prefix}…`}</td>
                      <td className="py-2 pr-3 font-mono text-xs text-slate-600">{apiKey.scopes.join(" ")}</td>
                      <td className="py-2 pr-3 text-slate-600"><Timestamp value={apiKey.createdAt} precision="day" /></td>
                      <td className="py-2 pr-3 text-slate-600">{apiKey.lastUsedAt ? <Timestamp value={apiKey.lastUsedAt} /> : t("apiKeys.never")}</td>
                      <td className="py-2 pr-3 text-slate-600">{apiKey.expiresAt ? <Timestamp value={apiKey.expiresAt} precision="day" /> : t("apiKeys.never")}</td>
                      <td className="py-2 text-right">
                        <form action={revokeApiKeyAction}>
                          <input type="hidden" name="id" value={apiKey.id} />
                          <Button type="submit" variant="danger" aria-label={t("apiKeys.revokeLabel", { name: apiKey.name })}>
                            {t("apiKeys.revoke")}
                          </Button>
                        </form>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="mb-6 text-sm text-slate-600">{t("apiKeys.none")}</p>
            )}
            <CreateApiKeyForm scopes={scopesAllowedFor(user.role)} />
          </Card>
        </Section>
        <Section id="activity">
          <Card title={t("activity.title")} description={t("activity.description")}>
            <ActivityList events={activity} />
          </Card>
        </Section>
        <Section id="danger-zone">
          <Card title={t("deleteAccount.title")} description={t("deleteAccount.description")}>
            <DeleteAccountForm />
          </Card>
        </Section>
      </div>
    </AccountIntlProvider>
  );
}
