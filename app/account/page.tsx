import type { Metadata } from "next";
import { logoutEverywhereAction } from "@/app/account/actions";
import { ChangePasswordForm } from "@/components/auth/change-password-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, PageTitle } from "@/components/ui/card";
import { requireUser } from "@/lib/dal/session";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Account" };

const NOTICES: Record<string, string> = {
  "password-changed": "Password changed. Your other sessions have been signed out.",
};

type SearchParams = Promise<{ notice?: string | string[] }>;

export default async function AccountPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser("/account");
  const { notice } = await searchParams;
  const noticeText = typeof notice === "string" ? NOTICES[notice] : undefined;
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <PageTitle>Account</PageTitle>
      {noticeText ? <Alert tone="success">{noticeText}</Alert> : null}
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
    </div>
  );
}
