"use client";

import { useTranslations } from "next-intl";
import { verifyLoginCodeAction } from "@/app/(auth)/actions";
import { confirmTwoFactorAction, manageTwoFactorAction, startTwoFactorAction, type RecoveryCodesState } from "@/app/account/two-factor-actions";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { TwoFactorStatus } from "@/lib/services/two-factor";
import type { PasswordAndCodeInput, VerifyCodeInput } from "@/lib/validations/auth";
import { codeInputProps } from "./code-input";
import { FormStatus } from "./form-status";
import { PasswordInput } from "./password-input";
import { authSchema, useActionForm } from "./use-action-form";

const CODE_FIELD: "code"[] = ["code"];
const loadCodeSchema = authSchema("verifyCodeSchema");
const loadPasswordAndCodeSchema = authSchema("passwordAndCodeSchema");
const PASSWORD_AND_CODE: ("password" | "code")[] = ["password", "code"];

function RecoveryCodes({ codes }: { codes?: string[] }) {
  const t = useTranslations("accountForms.twoFactor");
  if (!codes?.length) return null;
  return (
    <div>
      <h3 className="text-sm font-semibold text-slate-900">{t("recoveryCodes")}</h3>
      <ul aria-label={t("recoveryCodes")} className="mt-2 grid grid-cols-2 gap-1 font-mono text-sm text-slate-900">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <p className="mt-2 text-sm text-slate-600">{t("recoveryCodesHint")}</p>
    </div>
  );
}

export function VerifyLoginCodeForm({ callbackUrl }: { callbackUrl: string }) {
  const t = useTranslations("forms");
  const { state, formAction, pending, formRef, onSubmit, fieldProps } = useActionForm<VerifyCodeInput>(verifyLoginCodeAction, loadCodeSchema, CODE_FIELD);
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} noValidate className="space-y-5">
      <FormStatus state={state} />
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Field {...codeInputProps} label={t("authenticationCode")} {...fieldProps("code")} />
      <Button type="submit" disabled={pending} className="w-full">
        {t("verify")}
      </Button>
    </form>
  );
}

/**
 * The whole 2FA card in one place, so that the recovery codes from confirming stay on screen after the page
 * re-renders as "on" (without JavaScript the response is a whole new page, and the form state lives here).
 */
export function TwoFactorPanel({ status }: { status: TwoFactorStatus }) {
  const t = useTranslations("accountForms.twoFactor");
  const forms = useTranslations("forms");
  const { state, formAction, pending, formRef, onSubmit, fieldProps } = useActionForm<VerifyCodeInput>(confirmTwoFactorAction, loadCodeSchema, CODE_FIELD);
  const codes = (state as RecoveryCodesState).recoveryCodes;
  if (codes) {
    return (
      <div className="space-y-4">
        <FormStatus state={state} />
        <RecoveryCodes codes={codes} />
      </div>
    );
  }
  if (status.enabled) {
    return (
      <div className="space-y-4">
        <p className="text-sm text-slate-700">
          {t.rich("status", { count: status.recoveryCodesLeft, strong: (chunks) => <strong>{chunks}</strong> })}
        </p>
        <ManageTwoFactorForm />
      </div>
    );
  }
  if (!status.pending) {
    return (
      <form action={startTwoFactorAction}>
        <Button type="submit" variant="secondary">
          {t("enable")}
        </Button>
      </form>
    );
  }
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-700">{t("scan")}</p>
      {/* An SVG the server drew from the otpauth:// link (the qrcode package): markup only, no script or style. */}
      <div className="size-48 [&>svg]:size-full" role="img" aria-label={t("qrCode")} dangerouslySetInnerHTML={{ __html: status.pending.qrSvg }} />
      <p className="text-sm text-slate-700">
        {t.rich("key", {
          secret: status.pending.secret,
          code: (chunks) => (
            <code aria-label={t("keyLabel")} className="font-mono break-all text-slate-900">
              {chunks}
            </code>
          ),
        })}
      </p>
      <p className="text-sm">
        <a href={status.pending.otpauthUrl} className="font-semibold text-indigo-600 hover:text-indigo-500">
          {t("openInApp")}
        </a>
      </p>
      <form ref={formRef} action={formAction} onSubmit={onSubmit} noValidate className="space-y-5">
        <FormStatus state={state} />
        <Field {...codeInputProps} label={forms("authenticationCode")} {...fieldProps("code")} />
        <Button type="submit" disabled={pending}>
          {forms("verify")}
        </Button>
      </form>
    </div>
  );
}

function ManageTwoFactorForm() {
  const t = useTranslations("accountForms.twoFactor");
  const forms = useTranslations("forms");
  const { state, formAction, pending, formRef, onSubmit, fieldProps } = useActionForm<PasswordAndCodeInput>(
    manageTwoFactorAction,
    loadPasswordAndCodeSchema,
    PASSWORD_AND_CODE,
  );
  return (
    <form ref={formRef} action={formAction} onSubmit={onSubmit} noValidate className="space-y-5">
      <FormStatus state={state} />
      <RecoveryCodes codes={(state as RecoveryCodesState).recoveryCodes} />
      <Field label={forms("password")} id="two-factor-password" autoComplete="current-password" required {...fieldProps("password")} render={(props) => <PasswordInput {...props} />} />
      <Field {...codeInputProps} label={forms("authenticationCode")} {...fieldProps("code")} />
      <div className="flex flex-wrap gap-3">
        <Button type="submit" name="intent" value="regenerate" variant="secondary" disabled={pending}>
          {t("showNewRecoveryCodes")}
        </Button>
        <Button type="submit" name="intent" value="disable" variant="secondary" disabled={pending}>
          {t("turnOff")}
        </Button>
      </div>
    </form>
  );
}
