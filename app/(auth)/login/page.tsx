import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { SignInWithPasskey } from "@/components/auth/passkey-forms";
import { FederatedButtons } from "@/components/auth/federated-buttons";
import { federatedProviders } from "@/lib/services/federated-providers";
import { Alert } from "@/components/ui/alert";
import { NoticeAlert } from "@/components/ui/notice-alert";
import { Card } from "@/components/ui/card";
import { safeRedirectPath } from "@/lib/security/redirect-target";
import { currentUser } from "@/lib/dal/session";
import { brand } from "@/lib/env/branding";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("login"))("title") };
}

type SearchParams = Promise<{ callbackUrl?: string | string[]; notice?: string | string[]; error?: string | string[] }>;

/** Auth.js's error codes after an identity provider's round trip, in words. */
function federatedError(code: string | undefined): "federatedNotLinked" | "federatedDenied" | "federatedFailed" | undefined {
  if (!code) return undefined;
  if (code === "OAuthAccountNotLinked") return "federatedNotLinked";
  if (code === "AccessDenied") return "federatedDenied";
  return "federatedFailed";
}

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const { callbackUrl, notice, error } = await searchParams;
  const target = safeRedirectPath(typeof callbackUrl === "string" ? callbackUrl : undefined);
  if (await currentUser()) redirect(target);
  const errorKey = federatedError(typeof error === "string" ? error : undefined);
  const [t, site] = await Promise.all([getTranslations("login"), getTranslations("site")]);
  return (
    <div className="space-y-4">
      <NoticeAlert notice={notice} />
      {errorKey ? <Alert tone="error">{t(errorKey, { app: brand().name })}</Alert> : null}
      <Card title={t("heading", { app: brand().name })} description={t("description")}>
        <LoginForm callbackUrl={target} />
        <div className="mt-6 border-t border-slate-200 pt-6">
          <SignInWithPasskey callbackUrl={target} />
          <div className="mt-3">
            <FederatedButtons providers={federatedProviders()} callbackUrl={target} />
          </div>
        </div>
      </Card>
      <p className="text-center text-sm text-slate-600">
        <Link href="/forgot-password" className="font-semibold text-indigo-600 hover:text-indigo-500">
          {t("forgotPassword")}
        </Link>
        {" · "}
        <Link href="/verify-email" className="font-semibold text-indigo-600 hover:text-indigo-500">
          {t("confirmationMissing")}
        </Link>
      </p>
      <p className="text-center text-sm text-slate-600">
        {t("noAccount")}{" "}
        <Link href="/signup" className="font-semibold text-indigo-600 hover:text-indigo-500">
          {site("signUp")}
        </Link>
      </p>
    </div>
  );
}
