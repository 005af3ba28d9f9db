"use client";

import { useTranslations } from "next-intl";
import { useActionState, useCallback } from "react";
import { confirmEmailAction, forgotPasswordAction, resendVerificationAction, resetPasswordAction } from "@/app/(auth)/email-actions";
import { changeEmailAction } from "@/app/account/actions";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { initialFormState } from "@/lib/forms/form-state";
import type { ChangeEmailInput, EmailOnlyInput, ResetPasswordFormInput } from "@/lib/validations/auth";
import { FormStatus } from "./form-status";
import { PasswordInput } from "./password-input";
import { authSchema, authSchemas, useActionForm } from "./use-action-form";

const EMAIL_FIELDS: "email"[] = ["email"];
const loadEmailOnlySchema = authSchema("emailOnlySchema");

export function ForgotPasswordForm() {
  const t = useTranslations("forms");
  const { state, formAction, pending, formRef, onSubmit, fieldProps } = useActionForm<EmailOnlyInput>(
    forgotPasswordAction,
    loadEmailOnlySchema,
    EMAIL_FIELDS,
  );
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} noValidate className="space-y-5">
      <FormStatus state={state} />
      <Field label={t("email")} type="email" autoComplete="email" required {...fieldProps("email")} />
      <Button type="submit" disabled={pending} className="w-full">
        {t("sendResetLink")}
      </Button>
    </form>
  );
}

export function ResendVerificationForm() {
  const t = useTranslations("forms");
  const { state, formAction, pending, formRef, onSubmit, fieldProps } = useActionForm<EmailOnlyInput>(
    resendVerificationAction,
    loadEmailOnlySchema,
    EMAIL_FIELDS,
  );
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} noValidate className="space-y-5">
      <FormStatus state={state} />
      <Field label={t("email")} type="email" autoComplete="email" required {...fieldProps("email")} />
      <Button type="submit" variant="secondary" disabled={pending} className="w-full">
        {t("resendConfirmation")}
      </Button>
    </form>
  );
}

const RESET_FIELDS: ("password" | "confirmPassword")[] = ["password", "confirmPassword"];

export function ResetPasswordForm({ token, minPasswordLength }: { token: string; minPasswordLength: number }) {
  const t = useTranslations("forms");
  const loadSchema = useCallback(() => authSchemas().then((schemas) => schemas.resetPasswordFormSchema(minPasswordLength)), [minPasswordLength]);
  const { state, formAction, pending, formRef, onSubmit, fieldProps } = useActionForm<ResetPasswordFormInput>(
    resetPasswordAction,
    loadSchema,
    RESET_FIELDS,
    { min: minPasswordLength },
  );
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} noValidate className="space-y-5">
      <FormStatus state={state} />
      <input type="hidden" name="token" value={token} />
      <Field
        label={t("newPassword")}
        autoComplete="new-password"
        hint={t("resetPasswordHint", { min: minPasswordLength })}
        required
        {...fieldProps("password")}
        render={(props) => <PasswordInput {...props} />}
      />
      <Field
        label={t("confirmNewPassword")}
        autoComplete="new-password"
        required
        {...fieldProps("confirmPassword")}
        render={(props) => <PasswordInput {...props} />}
      />
      <Button type="submit" disabled={pending} className="w-full">
        {t("resetPassword")}
      </Button>
    </form>
  );
}

const CHANGE_EMAIL_FIELDS: ("newEmail" | "password")[] = ["newEmail", "password"];
const loadChangeEmailSchema = authSchema("changeEmailSchema");

export function ChangeEmailForm() {
  const t = useTranslations("accountForms.changeEmail");
  const { state, formAction, pending, formRef, onSubmit, fieldProps } = useActionForm<ChangeEmailInput>(
    changeEmailAction,
    loadChangeEmailSchema,
    CHANGE_EMAIL_FIELDS,
  );
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} noValidate className="space-y-5">
      <FormStatus state={state} />
      <Field label={t("newEmail")} type="email" autoComplete="email" required {...fieldProps("newEmail")} />
      <Field
        label={t("password")}
        id="change-email-password"
        autoComplete="current-password"
        required
        {...fieldProps("password")}
        render={(props) => <PasswordInput {...props} />}
      />
      <Button type="submit" variant="secondary" disabled={pending}>
        {t("submit")}
      </Button>
    </form>
  );
}

/** One button, no fields: the POST it sends is what confirms the address (a mail scanner's GET changes nothing). */
export function ConfirmEmailForm({ token }: { token: string }) {
  const t = useTranslations("forms");
  const [state, formAction, pending] = useActionState(confirmEmailAction, initialFormState);
  return (
    <form action={formAction} className="space-y-5">
      <FormStatus state={state} />
      <input type="hidden" name="token" value={token} />
      <Button type="submit" disabled={pending} className="w-full">
        {t("confirmEmailAddress")}
      </Button>
    </form>
  );
}
