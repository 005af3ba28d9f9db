import type { Metadata } from "next";
import { logoutEverywhereAction } from "@/app/account/actions";
import { ChangePasswordForm } from "@/components/auth/change-password-form";
import { ChangeEmailForm, DeleteAccountForm } from "@/components/auth/email-forms";
import { ResendMyVerificationButton } from "@/components/auth/resend-my-verification";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, PageTitle } from "@/components/ui/card";
import { requireUser } from "@/lib/dal/session";
import { getUser } from "@/lib/services/accounts";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Account" };

const NOTICES: Record<string, string> = {
  "password-changed": "Password changed. Your other sessions have been signed out.",
};

type SearchParams = Promise<{ notice?: string | string[] }>;

export default async function AccountPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser("/account");
  const profile = await getUser(user.id);
  const { notice } = await searchParams;
  const noticeText = typeof notice === "string" ? NOTICES[notice] : undefined;
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <PageTitle>Account</PageTitle>
      {noticeText ? <Alert tone="success">{noticeText}</Alert> : null}
      <Card title="Email address">
        <p className="mb-4 text-sm text-slate-700">
          <strong>{user.email}</strong> {profile?.emailVerified ? "(confirmed)" : "(not confirmed yet)"}
        </p>
        {profile?.emailVerified ? null : <ResendMyVerificationButton />}
        <div className="mt-6">
          <ChangeEmailForm />
        </div>
      </Card>
      <Card title="Change password">
        <ChangePasswordForm minPasswordLength={env().PASSWORD_MIN_LENGTH} username={user.username} />
      </Card>
      <Card
        title="Sessions"
        description="Signs you out on every browser and invalidates every access token issued to your account."
      >
        <form action={logoutEverywhereAction}>
          <Button type="submit" variant="secondary">
            Log out everywhere
          </Button>
        </form>
      </Card>
      <Card
        title="Delete account"
        description="Deletes your account and everything that belongs to it, at once and for good."
      >
        <DeleteAccountForm />
      </Card>
    </div>
  );
}
