"use client";

import { useTranslations } from "next-intl";
import { loginAction } from "@/app/(auth)/actions";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { LoginInput } from "@/lib/validations/auth";
import { FormStatus } from "./form-status";
import { PasswordInput } from "./password-input";
import { authSchema, useActionForm } from "./use-action-form";

const FIELDS: ("identifier" | "password")[] = ["identifier", "password"];
const loadSchema = authSchema("loginSchema");

export function LoginForm({ callbackUrl }: { callbackUrl: string }) {
  const t = useTranslations("forms");
  const { state, formAction, pending, formRef, onSubmit, fieldProps } = useActionForm<LoginInput>(
    loginAction,
    loadSchema,
    FIELDS,
  );
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} noValidate className="space-y-5">
      <FormStatus state={state} />
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Field
        label={t("identifier")}
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        required
        {...fieldProps("identifier")}
      />
      <Field
        label={t("password")}
        autoComplete="current-password"
        required
        {...fieldProps("password")}
        render={(props) => <PasswordInput {...props} />}
      />
      <Button type="submit" disabled={pending} className="w-full">
        {t("logIn")}
      </Button>
    </form>
  );
}
