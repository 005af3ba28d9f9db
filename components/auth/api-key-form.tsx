"use client";

import { useTranslations } from "next-intl";
import { createApiKeyAction, type CreateApiKeyState } from "@/app/account/api-key-actions";
import { Button } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import type { Messages } from "@/i18n/locales";
import { DEFAULT_API_KEY_SCOPES, type ApiKeyScope } from "@/lib/validations/api-key-scopes";
import { API_KEY_EXPIRY_DAYS, type CreateApiKeyFormInput } from "@/lib/validations/auth";
import { FormStatus } from "./form-status";
import { authSchema, useActionForm } from "./use-action-form";

const FIELDS: ("name" | "expiresInDays" | "scopes")[] = ["name", "expiresInDays", "scopes"];
const loadSchema = authSchema("createApiKeyFormSchema");

/** Each scope's words for its owner; a new scope fails to compile until it has them. */
const SCOPE_DESCRIPTIONS: Record<ApiKeyScope, `scopeDescriptions.${keyof Messages["accountForms"]["apiKeys"]["scopeDescriptions"]}`> = {
  "profile:read": "scopeDescriptions.profileRead",
  "keys:manage": "scopeDescriptions.keysManage",
  "admin:users:read": "scopeDescriptions.adminUsersRead",
  "admin:users:write": "scopeDescriptions.adminUsersWrite",
  "tokens:introspect": "scopeDescriptions.tokensIntrospect",
};

/** `scopes`: the ones the owner's role allows, each a checkbox; profile:read is ticked to begin with. */
export function CreateApiKeyForm({ scopes }: { scopes: ApiKeyScope[] }) {
  const t = useTranslations("accountForms.apiKeys");
  // A checkbox group needs its list as react-hook-form's default, or it takes the first box for a lone checkbox.
  const { state, formAction, pending, formRef, onSubmit, fieldProps } = useActionForm<CreateApiKeyFormInput>(
    createApiKeyAction,
    loadSchema,
    FIELDS,
    {},
    { scopes: DEFAULT_API_KEY_SCOPES },
  );
  const key = (state as CreateApiKeyState).key;
  const { errors: expiryErrors, autoFocus: _autoFocus, ...expiryProps } = fieldProps("expiresInDays");
  const { errors: scopeErrors, autoFocus: _scopeFocus, defaultValue: sentScopes, ...scopeProps } = fieldProps("scopes");
  const ticked: string[] = typeof sentScopes === "string" ? sentScopes.split(" ") : DEFAULT_API_KEY_SCOPES;
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} noValidate className="space-y-5">
      <FormStatus state={state} />
      {key ? (
        <div>
          <label htmlFor="new-api-key" className="block text-sm font-medium text-slate-900">
            {t("newKey")}
          </label>
          <input id="new-api-key" readOnly value={key} className={`${inputClass} mt-1.5 font-mono`} />
        </div>
      ) : null}
      <Field label={t("name")} required maxLength={64} {...fieldProps("name")} />
      <div>
        <label htmlFor="expiresInDays" className="block text-sm font-medium text-slate-900">
          {t("expires")}
        </label>
        <select id="expiresInDays" {...expiryProps} aria-invalid={expiryErrors?.length ? true : undefined} className={`${inputClass} mt-1.5`}>
          <option value="">{t("never")}</option>
          {API_KEY_EXPIRY_DAYS.map((days) => (
            <option key={days} value={String(days)}>
              {t("inDays", { count: days })}
            </option>
          ))}
        </select>
        {expiryErrors?.length ? <p className="mt-1.5 text-sm text-red-600">{expiryErrors[0]}</p> : null}
      </div>
      <fieldset aria-describedby={scopeErrors?.length ? "scopes-error" : undefined}>
        <legend className="block text-sm font-medium text-slate-900">{t("scopes")}</legend>
        <div className="mt-1.5 space-y-1.5">
          {scopes.map((scope) => (
            <label key={scope} className="flex items-start gap-2 text-sm text-slate-700">
              <input type="checkbox" value={scope} defaultChecked={ticked.includes(scope)} className="mt-0.5" {...scopeProps} />
              <span>
                <span className="font-mono text-xs text-slate-900">{scope}</span> {t(SCOPE_DESCRIPTIONS[scope])}
              </span>
            </label>
          ))}
        </div>
        {scopeErrors?.length ? (
          <p id="scopes-error" className="mt-1.5 text-sm text-red-600">
            {scopeErrors[0]}
          </p>
        ) : null}
      </fieldset>
      <Button type="submit" variant="secondary" disabled={pending}>
        {t("submit")}
      </Button>
    </form>
  );
}
