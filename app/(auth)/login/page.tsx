import type { Metadata } from "next";
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

export const metadata: Metadata = { title: "Log in" };

type SearchParams = Promise<{ callbackUrl?: string | string[]; notice?: string | string[]; error?: string | string[] }>;

/** Auth.js's error codes after an identity provider's round trip, in words. */
function federatedError(code: string | undefined): string | undefined {
  if (!code) return undefined;
  if (code === "OAuthAccountNotLinked") {
    return "That email address already has a Latchkey account. Log in with it first, then link the provider from your account page.";
  }
  if (code === "AccessDenied") return "Sign-in with that provider was refused for this account.";
  return "Sign-in with that provider didn't complete. Please try again.";
}

export default async function LoginPage({ searchParams }: { searchParams: SearchParams }) {
  const { callbackUrl, notice, error } = await searchParams;
  const target = safeRedirectPath(typeof callbackUrl === "string" ? callbackUrl : undefined);
  if (await currentUser()) redirect(target);
  const errorText = federatedError(typeof error === "string" ? error : undefined);
  return (
    <div className="space-y-4">
      <NoticeAlert notice={notice} />
      {errorText ? <Alert tone="error">{errorText}</Alert> : null}
      <Card title="Log in to Latchkey" description="Use your email address or your username.">
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
          Forgot your password?
        </Link>
        {" · "}
        <Link href="/verify-email" className="font-semibold text-indigo-600 hover:text-indigo-500">
          Confirmation email didn&apos;t arrive?
        </Link>
      </p>
      <p className="text-center text-sm text-slate-600">
        No account yet?{" "}
        <Link href="/signup" className="font-semibold text-indigo-600 hover:text-indigo-500">
          Sign up
        </Link>
      </p>
    </div>
  );
}
