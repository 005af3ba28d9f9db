import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ConfirmEmailForm, ResendVerificationForm } from "@/components/auth/email-forms";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { whileAvailable } from "@/lib/dal/availability";
import { pendingEmailConfirmation } from "@/lib/services/email-flows";
import { brand } from "@/lib/env/branding";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("verifyEmail"))("title") };
}

type SearchParams = Promise<{ token?: string | string[] }>;

/**
 * Opening a mailed link only reads the token: mail scanners fetch links, so the address is confirmed by the
 * button's POST (confirmEmailAction), never by this GET.
 */
export default async function VerifyEmailPage({ searchParams }: { searchParams: SearchParams }) {
  const { token } = await searchParams;
  const t = await getTranslations("verifyEmail");
  const pending = typeof token === "string" ? await whileAvailable(() => pendingEmailConfirmation(token)) : null;
  if (typeof token === "string" && pending) {
    return (
      <Card
        title={t(pending.purpose === "CHANGE_EMAIL" ? "confirmNewHeading" : "confirmHeading")}
        description={t(pending.purpose === "CHANGE_EMAIL" ? "confirmNewDescription" : "confirmDescription", { email: pending.email, app: brand().name })}
      >
        <ConfirmEmailForm token={token} />
      </Card>
    );
  }
  return (
    <div className="space-y-4">
      {typeof token === "string" ? (
        <Alert tone="error">{t("invalidLink")}</Alert>
      ) : null}
      <Card title={t("resendHeading")} description={t("resendDescription")}>
        <ResendVerificationForm />
      </Card>
    </div>
  );
}
