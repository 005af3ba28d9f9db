"use client";

import { useTranslations } from "next-intl";
import { confirmAccessAction } from "@/app/account/confirm-actions";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { PasswordAndCodeInput, VerifyCodeInput } from "@/lib/validations/auth";
import { codeInputProps } from "./code-input";
import { FormStatus } from "./form-status";
import { PasswordInput } from "./password-input";
import { authSchema, useActionForm } from "./use-action-form";

const PASSWORD_FIELD: "password"[] = ["password"];
const PASSWORD_AND_CODE_FIELDS: ("password" | "code")[] = ["password", "code"];
const CODE_FIELD: "code"[] = ["code"];
const loadPasswordSchema = authSchema("confirmAccessSchema");
const loadPasswordAndCodeSchema = authSchema("passwordAndCodeSchema");
const loadCodeSchema = authSchema("verifyCodeSchema");

/** The password, and with `withCode` (an account with 2FA) an authentication code as well. */
export function ConfirmPasswordForm({ returnTo, username, withCode = false }: { returnTo: string; username: string; withCode?: boolean }) {
  const t = useTranslations("accountForms");
  const forms = useTranslations("forms");
  const { state, formAction, pending, formRef, onSubmit, fieldProps } = useActionForm<PasswordAndCodeInput>(
    confirmAccessAction,
    withCode ? loadPasswordAndCodeSchema : loadPasswordSchema,
    withCode ? PASSWORD_AND_CODE_FIELDS : PASSWORD_FIELD,
  );
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} noValidate className="space-y-5">
      <FormStatus state={state} />
      <input type="hidden" name="returnTo" value={returnTo} />
      <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
      <Field label={forms("password")} autoComplete="current-password" required {...fieldProps("password")} render={(props) => <PasswordInput {...props} />} />
      {withCode ? <Field {...codeInputProps} label={forms("authenticationCode")} {...fieldProps("code")} /> : null}
      <Button type="submit" disabled={pending} className="w-full">
        {t("confirm")}
      </Button>
    </form>
  );
}

export function ConfirmCodeForm({ returnTo }: { returnTo: string }) {
  const t = useTranslations("accountForms");
  const forms = useTranslations("forms");
  const { state, formAction, pending, formRef, onSubmit, fieldProps } = useActionForm<VerifyCodeInput>(confirmAccessAction, loadCodeSchema, CODE_FIELD);
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} noValidate className="space-y-5">
      <FormStatus state={state} />
      <input type="hidden" name="returnTo" value={returnTo} />
      <Field {...codeInputProps} label={forms("authenticationCode")} {...fieldProps("code")} />
      <Button type="submit" disabled={pending} className="w-full">
        {t("confirm")}
      </Button>
    </form>
  );
}
