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
  const { state, formAction, pending, form, formRef, onSubmit, errorsFor, autoFocusFor } = useActionForm<SignupInput>(
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
        defaultValue={state.values?.username}
        errors={errorsFor("username")}
        autoFocus={autoFocusFor("username")}
        hint="3–32 characters: letters, digits, _ and -"
        required
        {...form.register("username")}
      />
      <Field
        label="Email"
        type="email"
        autoComplete="email"
        defaultValue={state.values?.email}
        errors={errorsFor("email")}
        autoFocus={autoFocusFor("email")}
        required
        {...form.register("email")}
      />
      <Field
        label="Password"
        autoComplete="new-password"
        errors={errorsFor("password")}
        autoFocus={autoFocusFor("password")}
        hint={`At least ${minPasswordLength} characters. A passphrase of a few random words works well.`}
        required
        {...form.register("password")}
        render={(props) => <PasswordInput {...props} />}
      />
      <Button type="submit" disabled={pending} className="w-full">
        Create account
      </Button>
    </form>
  );
}
