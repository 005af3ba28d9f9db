import type { Metadata } from "next";
import { ConfirmEmailForm, ResendVerificationForm } from "@/components/auth/email-forms";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { whileAvailable } from "@/lib/dal/availability";
import { pendingEmailConfirmation } from "@/lib/services/email-flows";

export const metadata: Metadata = { title: "Confirm email" };

type SearchParams = Promise<{ token?: string | string[] }>;

/**
 * Opening a mailed link only reads the token: mail scanners fetch links, so the address is confirmed by the
 * button's POST (confirmEmailAction), never by this GET.
 */
export default async function VerifyEmailPage({ searchParams }: { searchParams: SearchParams }) {
  const { token } = await searchParams;
  const pending = typeof token === "string" ? await whileAvailable(() => pendingEmailConfirmation(token)) : null;
  if (typeof token === "string" && pending) {
    return (
      <Card
        title={pending.purpose === "CHANGE_EMAIL" ? "Confirm your new email address" : "Confirm your email address"}
        description={
          pending.purpose === "CHANGE_EMAIL"
            ? `Make ${pending.email} the email address of your Latchkey account.`
            : `Confirm that ${pending.email} is your email address for Latchkey.`
        }
      >
        <ConfirmEmailForm token={token} />
      </Card>
    );
  }
  return (
    <div className="space-y-4">
      {typeof token === "string" ? (
        <Alert tone="error">This link is invalid, was already used, or has expired. If you already confirmed your address, you&apos;re all set.</Alert>
      ) : null}
      <Card title="Confirm your email" description="Didn't get the email, or the link expired? We'll send a new one.">
        <ResendVerificationForm />
      </Card>
    </div>
  );
}
