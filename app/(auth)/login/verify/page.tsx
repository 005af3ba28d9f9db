import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { VerifyLoginCodeForm } from "@/components/auth/two-factor-forms";
import { Card } from "@/components/ui/card";
import { readChallenge } from "@/lib/auth/mfa-challenge-cookie";
import { safeRedirectPath } from "@/lib/security/redirect-target";
import { currentUser } from "@/lib/dal/session";

export const metadata: Metadata = { title: "Two-factor authentication" };

type SearchParams = Promise<{ callbackUrl?: string | string[] }>;

export default async function VerifyLoginPage({ searchParams }: { searchParams: SearchParams }) {
  const { callbackUrl } = await searchParams;
  const target = safeRedirectPath(typeof callbackUrl === "string" ? callbackUrl : undefined);
  if (await currentUser()) redirect(target);
  if (!(await readChallenge())) {
    return (
      <Card title="Log in again" description="This step of signing in has expired.">
        <Link href={`/login?callbackUrl=${encodeURIComponent(target)}`} className="font-semibold text-indigo-600 hover:text-indigo-500">
          Back to log in
        </Link>
      </Card>
    );
  }
  return (
    <Card
      title="Two-factor authentication"
      description="Enter the 6-digit code from your authenticator app. Lost it? A recovery code works too."
    >
      <VerifyLoginCodeForm callbackUrl={target} />
    </Card>
  );
}
