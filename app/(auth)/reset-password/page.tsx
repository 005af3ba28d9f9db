import type { Metadata } from "next";
import Link from "next/link";
import { ResetPasswordForm } from "@/components/auth/email-forms";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { env } from "@/lib/env";
import { isResetTokenUsable } from "@/lib/services/email-flows";
import { whileAvailable } from "@/lib/dal/availability";

export const metadata: Metadata = { title: "Reset password" };

type SearchParams = Promise<{ token?: string | string[] }>;

export default async function ResetPasswordPage({ searchParams }: { searchParams: SearchParams }) {
  const { token } = await searchParams;
  if (typeof token !== "string" || !(await whileAvailable(() => isResetTokenUsable(token)))) {
    return (
      <div className="space-y-4">
        <Alert tone="error">This reset link is invalid, was already used, or has expired.</Alert>
        <p className="text-center text-sm text-slate-600">
          <Link href="/forgot-password" className="font-semibold text-indigo-600 hover:text-indigo-500">
            Ask for a new link
          </Link>
        </p>
      </div>
    );
  }
  return (
    <Card title="Choose a new password" description="Every session and device signed in to your account will be signed out.">
      <ResetPasswordForm token={token} minPasswordLength={env().PASSWORD_MIN_LENGTH} />
    </Card>
  );
}
