import type { Metadata } from "next";
import Link from "next/link";
import { signInAgainAction } from "@/app/account/confirm-actions";
import { ConfirmCodeForm, ConfirmPasswordForm } from "@/components/auth/confirm-access-form";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { safeRedirectPath } from "@/lib/security/redirect-target";
import { whileAvailable } from "@/lib/dal/availability";
import { CONFIRM_ACCESS_PATH, requireUser } from "@/lib/dal/session";
import { confirmAccessMethod } from "@/lib/services/confirm-access";

export const metadata: Metadata = { title: "Confirm access" };

type SearchParams = Promise<{ returnTo?: string | string[] }>;

const DESCRIPTIONS = {
  password: "You're about to change how you sign in. Enter your password to continue.",
  password_and_code: "You're about to change how you sign in. Enter your password and a code from your authenticator app to continue.",
  code: "You're about to change how you sign in. Enter a code from your authenticator app to continue.",
  sign_in: "You're about to change how you sign in. Sign in again to continue.",
};

/** Sudo mode's prompt: a recent authentication, then back to the page that asked for it. */
export default async function ConfirmAccessPage({ searchParams }: { searchParams: SearchParams }) {
  const { returnTo } = await searchParams;
  const target = safeRedirectPath(typeof returnTo === "string" ? returnTo : undefined);
  const user = await requireUser(`${CONFIRM_ACCESS_PATH}?returnTo=${encodeURIComponent(target)}`);
  const method = await whileAvailable(() => confirmAccessMethod(user.id));
  return (
    <div className="mx-auto max-w-md">
      <Card title="Confirm access" description={DESCRIPTIONS[method]}>
        {method === "password" || method === "password_and_code" ? (
          <ConfirmPasswordForm returnTo={target} username={user.username} withCode={method === "password_and_code"} />
        ) : null}
        {method === "code" ? <ConfirmCodeForm returnTo={target} /> : null}
        {method === "sign_in" ? (
          <form action={signInAgainAction}>
            <input type="hidden" name="returnTo" value={target} />
            <Button type="submit" className="w-full">
              Sign in again
            </Button>
          </form>
        ) : null}
        <p className="mt-6 text-sm text-slate-600">
          <Link href={target} className="font-semibold text-indigo-600 hover:text-indigo-500">
            Cancel
          </Link>
        </p>
      </Card>
    </div>
  );
}
