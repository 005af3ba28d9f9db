"use client";

import { useTranslations } from "next-intl";
import { useActionState } from "react";
import { resendMyVerificationAction } from "@/app/account/actions";
import { Button } from "@/components/ui/button";
import { initialFormState } from "@/lib/forms/form-state";
import { FormStatus } from "./form-status";

export function ResendMyVerificationButton() {
  const t = useTranslations("accountForms");
  const [state, formAction, pending] = useActionState(resendMyVerificationAction, initialFormState);
  return (
    <form action={formAction} className="space-y-3">
      <FormStatus state={state} />
      <Button type="submit" variant="secondary" disabled={pending}>
        {t("resendVerification")}
      </Button>
    </form>
  );
}
