"use client";

import { useMemo } from "react";
import { signupAction } from "@/app/(auth)/actions";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { signupSchema, type SignupInput } from "@/lib/validations/auth";
import { FormStatus } from "./form-status";
import { PasswordInput } from "./password-input";
import { useActionForm } from "./use-action-form";

const FIELDS = ["username", "email", "password"] as const;

export function SignupForm({ minPasswordLength }: { minPasswordLength: number }) {
  const schema = useMemo(() => signupSchema(minPasswordLength), [minPasswordLength]);
  const { state, formAction, pending, formRef, onSubmit, fieldProps } = useActionForm<SignupInput>(
    signupAction,
    schema,
    [...FIELDS],
  );
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} noValidate className="space-y-5">
      <FormStatus state={state} />
      <Field
        label="Username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        hint="3–32 characters: letters, digits, _ and -"
        required
        {...fieldProps("username")}
      />
      <Field
        label="Email"
        type="email"
        autoComplete="email"
        required
        {...fieldProps("email")}
      />
      <Field
        label="Password"
        autoComplete="new-password"
        hint={`At least ${minPasswordLength} characters. A passphrase of a few random words works well.`}
        required
        {...fieldProps("password")}
        render={(props) => <PasswordInput {...props} />}
      />
      <Button type="submit" disabled={pending} className="w-full">
        Create account
      </Button>
    </form>
  );
}
