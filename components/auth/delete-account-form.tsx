"use client";

import { useTranslations } from "next-intl";
import { deleteAccountAction } from "@/app/account/actions";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormStatus } from "./form-status";
import { PasswordInput } from "./password-input";
import { authSchema, useActionForm } from "./use-action-form";

const DELETE_FIELDS: "password"[] = ["password"];
const loadSchema = authSchema("deleteAccountSchema");

export function DeleteAccountForm() {
  const t = useTranslations("accountForms.deleteAccount");
  const { state, formAction, pending, formRef, onSubmit, fieldProps } = useActionForm<{ password: string }>(
    deleteAccountAction,
    loadSchema,
    DELETE_FIELDS,
  );
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} noValidate className="space-y-5">
      <FormStatus state={state} />
      <Field
        label={t("password")}
        id="delete-account-password"
        autoComplete="current-password"
        required
        {...fieldProps("password")}
        render={(props) => <PasswordInput {...props} />}
      />
      <Button type="submit" variant="danger" disabled={pending}>
        {t("submit")}
      </Button>
    </form>
  );
}
