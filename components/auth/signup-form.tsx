"use client";

import { useTranslations } from "next-intl";
import { useCallback } from "react";
import { signupAction } from "@/app/(auth)/actions";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { SignupInput } from "@/lib/validations/auth";
import { FormStatus } from "./form-status";
import { PasswordInput } from "./password-input";
import { authSchemas, useActionForm } from "./use-action-form";

const FIELDS = ["username", "email", "password"] as const;

export function SignupForm({ minPasswordLength }: { minPasswordLength: number }) {
  const t = useTranslations("forms");
  const loadSchema = useCallback(() => authSchemas().then((schemas) => schemas.signupSchema(minPasswordLength)), [minPasswordLength]);
  const { state, formAction, pending, formRef, onSubmit, fieldProps } = useActionForm<SignupInput>(
    signupAction,
    loadSchema,
    [...FIELDS],
    { min: minPasswordLength },
  );
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} noValidate className="space-y-5">
      <FormStatus state={state} />
      <Field
        label={t("username")}
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        hint={t("usernameHint")}
        required
        {...fieldProps("username")}
      />
      <Field
        label={t("email")}
        type="email"
        autoComplete="email"
        required
        {...fieldProps("email")}
      />
      <Field
        label={t("password")}
        autoComplete="new-password"
        hint={t("newPasswordHint", { min: minPasswordLength })}
        required
        {...fieldProps("password")}
        render={(props) => <PasswordInput {...props} />}
      />
      <Button type="submit" disabled={pending} className="w-full">
        {t("createAccount")}
      </Button>
    </form>
  );
}
