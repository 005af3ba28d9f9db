import type { Metadata } from "next";
import Link from "next/link";
import { ForgotPasswordForm } from "@/components/auth/email-forms";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";

export const metadata: Metadata = { title: "Forgot password" };

type SearchParams = Promise<{ sent?: string | string[] }>;

export default async function ForgotPasswordPage({ searchParams }: { searchParams: SearchParams }) {
  const { sent } = await searchParams;
  return (
    <div className="space-y-4">
      {sent === "1" ? (
        <Alert tone="success">
          If an account uses that address, we sent it a link to reset the password. It works once, for 1 hour.
        </Alert>
      ) : null}
      <Card title="Forgot your password?" description="Enter your account's email address and we'll mail you a reset link.">
        <ForgotPasswordForm />
      </Card>
      <p className="text-center text-sm text-slate-600">
        Remembered it?{" "}
        <Link href="/login" className="font-semibold text-indigo-600 hover:text-indigo-500">
          Log in
        </Link>
      </p>
    </div>
  );
}
