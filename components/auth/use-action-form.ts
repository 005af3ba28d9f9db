"use client";

import { useTranslations } from "next-intl";
import { startTransition, useActionState, useEffect, useRef, type FormEvent } from "react";
import { useForm, type DefaultValues, type FieldValues, type Path, type Resolver } from "react-hook-form";
import type { z } from "zod";
import { initialFormState, type FormState } from "@/lib/forms/form-state";

type ServerAction = (state: FormState, formData: FormData) => Promise<FormState>;

/** A form's zod schema, imported when the form is first used (see `useActionForm`). */
export type SchemaLoader = () => Promise<z.ZodType>;

/** What a form is checked with when its schema could not be loaded: nothing, the server checks it. */
function acceptAsIs<Values extends FieldValues>(values: Values) {
  return { values, errors: {} };
}

/** The schemas of lib/validations/auth, as a module of their own for the browser. */
export const authSchemas = () => import("@/lib/validations/auth");

type AuthSchemas = Awaited<ReturnType<typeof authSchemas>>;
type AuthSchemaName = { [Name in keyof AuthSchemas]: AuthSchemas[Name] extends z.ZodType ? Name : never }[keyof AuthSchemas];

/** The loader of one of lib/validations/auth's schemas, by name (those built from a setting use `authSchemas`). */
export const authSchema = (name: AuthSchemaName): SchemaLoader => () => authSchemas().then((schemas) => schemas[name]);

/**
 * A form that posts to a server action with or without JavaScript. With JavaScript, react-hook-form checks the
 * same zod schema first and only a valid form reaches the server; without it the browser posts the form as is.
 * The schema speaks in catalogue keys (`fieldErrors.…`); `messageValues` fills their placeholders (`{min}`).
 *
 * The schema and zod come when the form is first focused (or submitted), not with the page: they are a third of
 * the sign-in page's own JavaScript, and nothing needs them before someone types. A submit waits for them; if
 * they can't be loaded (a network failure, a new deployment) the form posts as is and the server's answer stands,
 * as without JavaScript, and the next use tries again.
 */
export function useActionForm<Values extends FieldValues>(
  action: ServerAction,
  loadSchema: SchemaLoader,
  fields: Path<Values>[],
  messageValues: Record<string, number> = {},
  defaultValues?: DefaultValues<Values>,
) {
  const t = useTranslations();
  const [state, formAction, pending] = useActionState(action, initialFormState);
  const validator = useRef<{ source: SchemaLoader; resolver: Promise<Resolver<Values>> } | null>(null);
  function loadValidator(): Promise<Resolver<Values>> {
    if (validator.current?.source !== loadSchema) {
      const entry = {
        source: loadSchema,
        resolver: Promise.all([loadSchema(), import("@hookform/resolvers/zod")]).then(
          ([schema, { zodResolver }]) => zodResolver(schema as never) as unknown as Resolver<Values>,
          (): Resolver<Values> => {
            if (validator.current === entry) validator.current = null;
            return acceptAsIs;
          },
        ),
      };
      validator.current = entry;
    }
    return validator.current.resolver;
  }
  const form = useForm<Values>({
    resolver: async (values, context, options) => (await loadValidator())(values, context, options),
    mode: "onTouched",
    defaultValues,
  });
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    const element = formRef.current;
    const warm = () => void loadValidator();
    element?.addEventListener("focusin", warm, { once: true });
    return () => element?.removeEventListener("focusin", warm);
  });

  useEffect(() => {
    const firstInvalid = fields.find((field) => state.fieldErrors?.[field]?.length);
    if (firstInvalid) form.setFocus(firstInvalid);
  }, [state, fields, form]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // The button that submitted, so that a form with two buttons posts the same name=value as without JavaScript.
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    void form.handleSubmit(() => {
      const formData = new FormData(formRef.current!, submitter);
      startTransition(() => formAction(formData));
    })(event);
  }

  function errorsFor(field: Path<Values>): string[] | undefined {
    const clientError = form.formState.errors[field]?.message;
    if (typeof clientError !== "string") return state.fieldErrors?.[field];
    return [t.has(clientError) ? t(clientError, messageValues) : clientError];
  }

  /** Without JavaScript the server render focuses the first field in error. */
  function autoFocusFor(field: Path<Values>): boolean {
    return fields.find((name) => state.fieldErrors?.[name]?.length) === field;
  }

  /** Everything a Field needs for one form field: registration, its errors, and focus after a failed post. */
  function fieldProps(field: Path<Values>) {
    return { errors: errorsFor(field), autoFocus: autoFocusFor(field), defaultValue: state.values?.[field], ...form.register(field) };
  }

  return { state, formAction, pending, formRef, onSubmit, fieldProps };
}
