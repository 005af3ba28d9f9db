"use client";

import { useTranslations } from "next-intl";
import { useCallback } from "react";
import { changePasswordAction } from "@/app/account/actions";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { ChangePasswordInput } from "@/lib/validations/auth";
import { FormStatus } from "./form-status";
import { PasswordInput } from "./password-input";
import { authSchemas, useActionForm } from "./use-action-form";

const FIELDS: ("currentPassword" | "newPassword")[] = ["currentPassword", "newPassword"];

export function ChangePasswordForm({ minPasswordLength, username }: { minPasswordLength: number; username: string }) {
  const t = useTranslations("accountForms.changePassword");
  const forms = useTranslations("forms");
  const loadSchema = useCallback(() => authSchemas().then((schemas) => schemas.changePasswordSchema(minPasswordLength)), [minPasswordLength]);
  const { state, formAction, pending, formRef, onSubmit, fieldProps } =
    useActionForm<ChangePasswordInput>(changePasswordAction, loadSchema, FIELDS);
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} noValidate className="space-y-5">
      <FormStatus state={state} />
      {/* Lets password managers file the new password under the right account. */}
      <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
      <Field
        label={t("currentPassword")}
        autoComplete="current-password"
        required
        {...fieldProps("currentPassword")}
        render={(props) => <PasswordInput {...props} />}
      />
      <Field
        label={forms("newPassword")}
        autoComplete="new-password"
        hint={t("newPasswordHint", { min: minPasswordLength })}
        required
        {...fieldProps("newPassword")}
        render={(props) => <PasswordInput {...props} />}
      />
      <Button type="submit" disabled={pending}>
        {t("submit")}
      </Button>
    </form>
  );
}
