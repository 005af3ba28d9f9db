"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, useSyncExternalStore, type FormEvent } from "react";
import { passkeyLoginAction, passkeyLoginOptionsAction } from "@/app/(auth)/actions";
import { passkeyRegistrationOptionsAction, registerPasskeyAction } from "@/app/account/passkey-actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { FieldErrors } from "@/lib/errors";
import { PasswordInput } from "./password-input";

/** The WebAuthn helpers load when a passkey button is used, not with /login's first JavaScript. */
const webAuthn = () => import("@simplewebauthn/browser");

/** WebAuthn runs only in the browser; until hydration (or without JavaScript) the page says so instead. */
function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
}

const subscribeToNothing = () => () => {};

export function AddPasskeyForm() {
  const t = useTranslations("accountForms.passkeys");
  const forms = useTranslations("forms");
  const hydrated = useHydrated();
  const router = useRouter();
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors | undefined>();
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const name = String(data.get("name") ?? "");
    setPending(true);
    setMessage(null);
    try {
      const prepared = await passkeyRegistrationOptionsAction({ password: String(data.get("password") ?? ""), name });
      setFieldErrors(prepared.ok ? undefined : prepared.fieldErrors);
      if (!prepared.ok) return setMessage({ tone: "error", text: prepared.message });
      const { startRegistration } = await webAuthn();
      let response;
      try {
        response = await startRegistration(prepared.options);
      } catch {
        return setMessage({ tone: "error", text: forms("passkeyPromptCancelled") });
      }
      const saved = await registerPasskeyAction(response, name);
      if (!saved.ok) return setMessage({ tone: "error", text: saved.message });
      form.reset();
      setMessage({ tone: "success", text: t("added", { name: name.trim() }) });
      router.refresh();
    } finally {
      setPending(false);
    }
  }

  if (!hydrated) return <p className="text-sm text-slate-600">{forms("passkeysNeedJavaScript")}</p>;
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5">
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      <Field label={t("name")} id="passkey-name" name="name" required maxLength={64} errors={fieldErrors?.name} placeholder={t("namePlaceholder")} />
      <Field
        label={t("password")}
        id="passkey-password"
        name="password"
        autoComplete="current-password"
        required
        errors={fieldErrors?.password}
        render={(props) => <PasswordInput {...props} />}
      />
      <Button type="submit" variant="secondary" disabled={pending}>
        {t("submit")}
      </Button>
    </form>
  );
}

export function SignInWithPasskey({ callbackUrl }: { callbackUrl: string }) {
  const t = useTranslations("forms");
  const hydrated = useHydrated();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function signIn() {
    setPending(true);
    setError(null);
    try {
      const prepared = await passkeyLoginOptionsAction();
      if (!prepared.ok) return setError(prepared.message);
      const { startAuthentication } = await webAuthn();
      let response;
      try {
        response = await startAuthentication(prepared.options);
      } catch {
        return setError(t("passkeyPromptCancelled"));
      }
      // Redirects on success; only a refusal comes back.
      const refused = await passkeyLoginAction(JSON.stringify(response), callbackUrl);
      setError(refused.message);
    } finally {
      setPending(false);
    }
  }

  if (!hydrated) return <p className="text-center text-sm text-slate-600">{t("passkeysNeedJavaScript")}</p>;
  return (
    <div className="space-y-3">
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Button type="button" variant="secondary" className="w-full" disabled={pending} onClick={signIn}>
        {t("signInWithPasskey")}
      </Button>
    </div>
  );
}
