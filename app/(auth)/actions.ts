"use server";

import { redirect } from "next/navigation";
import { signOut } from "@/auth";
import { requestLocale, requestTranslator } from "@/i18n/server";
import { currentRequestContext, currentSession } from "@/lib/dal/session";
import { completeSecondFactorSession, startPasskeySession, startSession, switchSession, type StartSessionOutcome } from "@/lib/auth/start-session";
import { stopImpersonation } from "@/lib/services/impersonation";
import { withNotice } from "@/lib/forms/notices";
import { consumeRateLimit } from "@/lib/security/rate-limit";
import { passkeyAuthenticationOptions } from "@/lib/services/passkeys";
import { forgetChallenge, readChallenge, rememberChallenge } from "@/lib/auth/mfa-challenge-cookie";
import { safeRedirectPath } from "@/lib/security/redirect-target";
import { env } from "@/lib/env";
import { attempt, attemptForm, failureState, parseForm, rateLimitedMessage } from "@/lib/forms/action-outcome";
import { formText, type FormState } from "@/lib/forms/form-state";
import { signUp } from "@/lib/services/accounts";
import { recordAudit } from "@/lib/services/audit";
import { loginSchema, signupSchema, verifyCodeSchema } from "@/lib/validations/auth";
import { formatUtcMinute } from "@/i18n/format";

export async function signupAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const input = {
    username: formText(formData, "username"),
    email: formText(formData, "email"),
    password: formText(formData, "password"),
  };
  const safeValues = { username: input.username, email: input.email };
  const parsed = await parseForm(signupSchema(env().PASSWORD_MIN_LENGTH), input, safeValues);
  if (!parsed.ok) return parsed.state;
  const signedUp = await attemptForm(async () => signUp(parsed.data, await currentRequestContext(), await requestLocale()), safeValues);
  if (!signedUp.ok) return signedUp.state;
  if (signedUp.value.status === "verification_sent") redirect("/signup/check-email");
  if (!(await startSession(parsed.data.email, parsed.data.password)).ok) {
    return { status: "error", message: (await requestTranslator())("formMessages.accountCreatedLogIn"), values: safeValues };
  }
  redirect("/dashboard");
}

export async function loginAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const input = { identifier: formText(formData, "identifier"), password: formText(formData, "password") };
  const safeValues = { identifier: input.identifier };
  const parsed = await parseForm(loginSchema, input, safeValues);
  if (!parsed.ok) return parsed.state;
  const started = await attemptForm(() => startSession(parsed.data.identifier, parsed.data.password), safeValues);
  if (!started.ok) return started.state;
  const outcome = started.value;
  if (!outcome.ok && outcome.error === "mfa_required") {
    await rememberChallenge(outcome.challengeToken);
    const callbackUrl = safeRedirectPath(formData.get("callbackUrl"));
    redirect(`/login/verify?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  }
  if (!outcome.ok) return { status: "error", message: await signInFailureMessage(outcome), values: safeValues };
  redirect(safeRedirectPath(formData.get("callbackUrl")));
}

async function signInFailureMessage(outcome: Exclude<StartSessionOutcome, { ok: true }>): Promise<string> {
  const t = await requestTranslator();
  switch (outcome.error) {
    case "rate_limited":
      return rateLimitedMessage(outcome.retryAfterSeconds);
    case "email_not_verified":
      return t("errors.email_not_verified");
    case "account_suspended":
      return t("errors.account_suspended_until", { until: formatUtcMinute(outcome.until) });
    case "challenge_expired":
      return t("formMessages.challengeExpired");
    default:
      return t("errors.invalid_credentials");
  }
}

/** The second step of sign-in: the code, checked against the challenge the first step left in a cookie. */
export async function verifyLoginCodeAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const parsed = await parseForm(verifyCodeSchema, { code: formText(formData, "code") });
  if (!parsed.ok) return parsed.state;
  const challenge = await readChallenge();
  const t = await requestTranslator();
  if (!challenge) return { status: "error", message: t("formMessages.challengeExpired") };
  const completed = await attemptForm(() => completeSecondFactorSession(challenge, parsed.data.code));
  if (!completed.ok) return completed.state;
  const outcome = completed.value;
  if (!outcome.ok) {
    if (outcome.error === "challenge_expired") await forgetChallenge();
    const wrongCode = t("formMessages.wrongCode");
    const message = outcome.error === "invalid_credentials" ? wrongCode : await signInFailureMessage(outcome);
    return { status: "error", message, fieldErrors: outcome.error === "invalid_credentials" ? { code: [wrongCode] } : undefined };
  }
  await forgetChallenge();
  redirect(safeRedirectPath(formData.get("callbackUrl")));
}

/** Options for the browser's passkey prompt; each creates a challenge row, so they are limited per address. */
export async function passkeyLoginOptionsAction() {
  const context = await currentRequestContext();
  const slot = await consumeRateLimit(`passkey-options:ip:${context.clientKey}`, env().RATE_LIMIT_TOKEN_REQUESTS_PER_IP);
  if (!slot.allowed) return { ok: false as const, message: await rateLimitedMessage(slot.retryAfterSeconds) };
  return { ok: true as const, options: await passkeyAuthenticationOptions() };
}

export async function passkeyLoginAction(response: string, callbackUrl: string): Promise<{ ok: false; message: string }> {
  const started = await attempt(() => startPasskeySession(response));
  const passkeyFailed = (await requestTranslator())("formMessages.passkeyFailed");
  if (!started.ok) return { ok: false, message: (await failureState(started.failure)).message ?? passkeyFailed };
  const outcome = started.value;
  if (!outcome.ok) return { ok: false, message: passkeyFailed };
  redirect(safeRedirectPath(callbackUrl));
}

/**
 * **Stop viewing** (the banner while an administrator views as a user), and "Log out" in that state: the browser
 * gets the administrator's own session back and lands on the user's admin page. If that session has ended
 * meanwhile, the browser is signed out and asked to sign in again.
 */
export async function stopViewingAction(): Promise<void> {
  const session = await currentSession().catch(() => null);
  if (!session?.impersonation) redirect("/dashboard");
  const stopped = await attempt(async () => stopImpersonation(session.sessionId, await currentRequestContext()));
  const userPage = stopped.ok && stopped.value ? `/admin/users/${stopped.value.userId}` : "/admin";
  const grant = stopped.ok ? stopped.value?.grant : null;
  const switched = grant ? await attempt(() => switchSession(grant)) : null;
  if (switched?.ok && switched.value.ok) redirect(withNotice(userPage, "impersonation-ended"));
  await signOut({ redirect: false });
  redirect(`/login?callbackUrl=${encodeURIComponent(userPage)}`);
}

export async function logoutAction(): Promise<void> {
  const session = await currentSession().catch(() => null);
  // Nothing is recorded as the user while an administrator views as them.
  if (session?.impersonation) await stopViewingAction();
  // Auth.js's signOut event deletes this session's row (lib/auth/config.ts); here it is only recorded.
  if (session) {
    await recordAudit({ type: "logout", actorId: session.user.id, targetId: session.user.id, context: await currentRequestContext() });
  }
  await signOut({ redirect: false });
  redirect("/login");
}
