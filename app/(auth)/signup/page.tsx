import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SignupForm } from "@/components/auth/signup-form";
import { FederatedButtons } from "@/components/auth/federated-buttons";
import { federatedProviders } from "@/lib/services/federated-providers";
import { Card } from "@/components/ui/card";
import { currentUser } from "@/lib/dal/session";
import { env } from "@/lib/env";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("signup"))("title") };
}

export default async function SignupPage() {
  if (await currentUser()) redirect("/dashboard");
  const [t, site] = await Promise.all([getTranslations("signup"), getTranslations("site")]);
  return (
    <div className="space-y-4">
      <Card title={t("heading")} description={t("description")}>
        <SignupForm minPasswordLength={env().PASSWORD_MIN_LENGTH} />
        {federatedProviders().length ? (
          <div className="mt-6 border-t border-slate-200 pt-6">
            <FederatedButtons providers={federatedProviders()} callbackUrl="/dashboard" />
          </div>
        ) : null}
      </Card>
      <p className="text-center text-sm text-slate-600">
        {t("haveAccount")}{" "}
        <Link href="/login" className="font-semibold text-indigo-600 hover:text-indigo-500">
          {site("logIn")}
        </Link>
      </p>
    </div>
  );
}
