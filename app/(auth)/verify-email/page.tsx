import type { Metadata } from "next";
import Link from "next/link";
import { ResendVerificationForm } from "@/components/auth/email-forms";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { currentRequestContext, currentSession } from "@/lib/dal/session";
import { ApiError } from "@/lib/http/api-error";
import { confirmEmailToken, type VerifiedEmail } from "@/lib/services/email-flows";
import { whileAvailable } from "@/lib/dal/availability";

export const metadata: Metadata = { title: "Confirm email" };

type SearchParams = Promise<{ token?: string | string[] }>;

async function confirm(token: string): Promise<VerifiedEmail | ApiError> {
  try {
    // A browser signed in to this same account keeps its session when the address is first proven.
    const keepSessionId = (await currentSession())?.sessionId;
    return await confirmEmailToken(token, await currentRequestContext(), { keepSessionId });
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
}

export default async function VerifyEmailPage({ searchParams }: { searchParams: SearchParams }) {
  const { token } = await searchParams;
  const result = typeof token === "string" ? await whileAvailable(() => confirm(token)) : null;
  if (result && !(result instanceof ApiError)) {
    return (
      <Card title={result.purpose === "CHANGE_EMAIL" ? "Email address changed" : "Email address confirmed"}>
        <p className="text-sm text-slate-700">
          {result.purpose === "CHANGE_EMAIL" ? "Your account now uses " : "Thank you: "}
          <strong>{result.email}</strong>
          {result.purpose === "CHANGE_EMAIL" ? "." : " is confirmed."}
        </p>
        <p className="mt-4 text-sm">
          <Link href="/dashboard" className="font-semibold text-indigo-600 hover:text-indigo-500">
            Continue
          </Link>
        </p>
      </Card>
    );
  }
  return (
    <div className="space-y-4">
      {result ? <Alert tone="error">{result.message}. If you already confirmed your address, you&apos;re all set.</Alert> : null}
      <Card title="Confirm your email" description="Didn't get the email, or the link expired? We'll send a new one.">
        <ResendVerificationForm />
      </Card>
    </div>
  );
}
