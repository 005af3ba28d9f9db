"use client";

import { confirmAccessAction } from "@/app/account/confirm-actions";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { confirmAccessSchema, verifyCodeSchema, type ConfirmAccessInput, type VerifyCodeInput } from "@/lib/validations/auth";
import { FormStatus } from "./form-status";
import { PasswordInput } from "./password-input";
import { useActionForm } from "./use-action-form";

const PASSWORD_FIELD: "password"[] = ["password"];
const CODE_FIELD: "code"[] = ["code"];

export function ConfirmPasswordForm({ returnTo, username }: { returnTo: string; username: string }) {
  const { state, formAction, pending, formRef, onSubmit, fieldProps } = useActionForm<ConfirmAccessInput>(
    confirmAccessAction,
    confirmAccessSchema,
    PASSWORD_FIELD,
  );
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} noValidate className="space-y-5">
      <FormStatus state={state} />
      <input type="hidden" name="returnTo" value={returnTo} />
      <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
      <Field label="Password" autoComplete="current-password" required {...fieldProps("password")} render={(props) => <PasswordInput {...props} />} />
      <Button type="submit" disabled={pending} className="w-full">
        Confirm
      </Button>
    </form>
  );
}

export function ConfirmCodeForm({ returnTo }: { returnTo: string }) {
  const { state, formAction, pending, formRef, onSubmit, fieldProps } = useActionForm<VerifyCodeInput>(confirmAccessAction, verifyCodeSchema, CODE_FIELD);
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} noValidate className="space-y-5">
      <FormStatus state={state} />
      <input type="hidden" name="returnTo" value={returnTo} />
      <Field
        label="Authentication code"
        autoComplete="one-time-code"
        autoCapitalize="none"
        spellCheck={false}
        required
        {...fieldProps("code")}
      />
      <Button type="submit" disabled={pending} className="w-full">
        Confirm
      </Button>
    </form>
  );
}
