import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { signInAgainAction } from "@/app/account/confirm-actions";
import { AccountIntlProvider } from "@/components/auth/account-intl-provider";
import { ConfirmCodeForm, ConfirmPasswordForm } from "@/components/auth/confirm-access-form";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { safeRedirectPath } from "@/lib/security/redirect-target";
import { whileAvailable } from "@/lib/dal/availability";
import { CONFIRM_ACCESS_PATH, requireUser } from "@/lib/dal/session";
import { confirmAccessMethod } from "@/lib/services/confirm-access";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("confirmAccess"))("title") };
}

type SearchParams = Promise<{ returnTo?: string | string[] }>;

const DESCRIPTIONS = {
  password: "password",
  password_and_code: "passwordAndCode",
  code: "code",
  sign_in: "signIn",
} as const;

/** Sudo mode's prompt: a recent authentication, then back to the page that asked for it. */
export default async function ConfirmAccessPage({ searchParams }: { searchParams: SearchParams }) {
  const { returnTo } = await searchParams;
  const target = safeRedirectPath(typeof returnTo === "string" ? returnTo : undefined);
  const user = await requireUser(`${CONFIRM_ACCESS_PATH}?returnTo=${encodeURIComponent(target)}`);
  const method = await whileAvailable(() => confirmAccessMethod(user.id));
  const t = await getTranslations("confirmAccess");
  return (
    <AccountIntlProvider>
      <div className="mx-auto max-w-md">
        <Card title={t("title")} description={t(DESCRIPTIONS[method])}>
          {method === "password" || method === "password_and_code" ? (
            <ConfirmPasswordForm returnTo={target} username={user.username} withCode={method === "password_and_code"} />
          ) : null}
          {method === "code" ? <ConfirmCodeForm returnTo={target} /> : null}
          {method === "sign_in" ? (
            <form action={signInAgainAction}>
              <input type="hidden" name="returnTo" value={target} />
              <Button type="submit" className="w-full">
                {t("signInAgain")}
              </Button>
            </form>
          ) : null}
          <p className="mt-6 text-sm text-slate-600">
            <Link href={target} className="font-semibold text-indigo-600 hover:text-indigo-500">
              {t("cancel")}
            </Link>
          </p>
        </Card>
      </div>
    </AccountIntlProvider>
  );
}
