"use server";

import { redirect } from "next/navigation";
import { signOut } from "@/auth";
import { currentRequestContext, currentSession } from "@/lib/dal/session";
import { completeSecondFactorSession, startPasskeySession, startSession, type StartSessionOutcome } from "@/lib/auth/start-session";
import { consumeRateLimit } from "@/lib/security/rate-limit";
import { passkeyAuthenticationOptions } from "@/lib/services/passkeys";
import { CHALLENGE_EXPIRED_MESSAGE, forgetChallenge, readChallenge, rememberChallenge } from "@/lib/auth/mfa-challenge-cookie";
import { safeRedirectPath } from "@/lib/security/redirect-target";
import { env } from "@/lib/env";
import { attempt, attemptForm, failureState, parseForm } from "@/lib/forms/action-outcome";
import { formText, rateLimitedMessage, type FormState } from "@/lib/forms/form-state";
import { EMAIL_NOT_VERIFIED_MESSAGE, INVALID_CREDENTIALS_MESSAGE, accountSuspendedMessage } from "@/lib/errors";
import { signUp } from "@/lib/services/accounts";
import { recordAudit } from "@/lib/services/audit";
import { WRONG_CODE_MESSAGE } from "@/lib/services/two-factor";
import { loginSchema, signupSchema, verifyCodeSchema } from "@/lib/validations/auth";

export async function signupAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const input = {
    username: formText(formData, "username"),
    email: formText(formData, "email"),
    password: formText(formData, "password"),
  };
  const safeValues = { username: input.username, email: input.email };
  const parsed = parseForm(signupSchema(env().PASSWORD_MIN_LENGTH), input, safeValues);
  if (!parsed.ok) return parsed.state;
  const signedUp = await attemptForm(async () => signUp(parsed.data, await currentRequestContext()), safeValues);
  if (!signedUp.ok) return signedUp.state;
  if (signedUp.value.status === "verification_sent") redirect("/signup/check-email");
  if (!(await startSession(parsed.data.email, parsed.data.password)).ok) {
    return { status: "error", message: "Your account was created; please log in.", values: safeValues };
  }
  redirect("/dashboard");
}

export async function loginAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const input = { identifier: formText(formData, "identifier"), password: formText(formData, "password") };
  const safeValues = { identifier: input.identifier };
  const parsed = parseForm(loginSchema, input, safeValues);
  if (!parsed.ok) return parsed.state;
  const started = await attemptForm(() => startSession(parsed.data.identifier, parsed.data.password), safeValues);
  if (!started.ok) return started.state;
  const outcome = started.value;
  if (!outcome.ok && outcome.error === "mfa_required") {
    await rememberChallenge(outcome.challengeToken);
    const callbackUrl = safeRedirectPath(formData.get("callbackUrl"));
    redirect(`/login/verify?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  }
  if (!outcome.ok) return { status: "error", message: signInFailureMessage(outcome), values: safeValues };
  redirect(safeRedirectPath(formData.get("callbackUrl")));
}

const PASSKEY_FAILED_MESSAGE = "That passkey didn't work here. Log in with your password, or try another passkey.";

function signInFailureMessage(outcome: Exclude<StartSessionOutcome, { ok: true }>): string {
  switch (outcome.error) {
    case "rate_limited":
      return rateLimitedMessage(outcome.retryAfterSeconds);
    case "email_not_verified":
      return EMAIL_NOT_VERIFIED_MESSAGE;
    case "account_suspended":
      return accountSuspendedMessage(outcome.until);
    case "challenge_expired":
      return CHALLENGE_EXPIRED_MESSAGE;
    default:
      return INVALID_CREDENTIALS_MESSAGE;
  }
}

/** The second step of sign-in: the code, checked against the challenge the first step left in a cookie. */
export async function verifyLoginCodeAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const parsed = parseForm(verifyCodeSchema, { code: formText(formData, "code") });
  if (!parsed.ok) return parsed.state;
  const challenge = await readChallenge();
  if (!challenge) return { status: "error", message: CHALLENGE_EXPIRED_MESSAGE };
  const completed = await attemptForm(() => completeSecondFactorSession(challenge, parsed.data.code));
  if (!completed.ok) return completed.state;
  const outcome = completed.value;
  if (!outcome.ok) {
    if (outcome.error === "challenge_expired") await forgetChallenge();
    const message = outcome.error === "invalid_credentials" ? WRONG_CODE_MESSAGE : signInFailureMessage(outcome);
    return { status: "error", message, fieldErrors: outcome.error === "invalid_credentials" ? { code: [WRONG_CODE_MESSAGE] } : undefined };
  }
  await forgetChallenge();
  redirect(safeRedirectPath(formData.get("callbackUrl")));
}

/** Options for the browser's passkey prompt; each creates a challenge row, so they are limited per address. */
export async function passkeyLoginOptionsAction() {
  const context = await currentRequestContext();
  const slot = await consumeRateLimit(`passkey-options:ip:${context.clientKey}`, env().RATE_LIMIT_TOKEN_REQUESTS_PER_IP);
  if (!slot.allowed) return { ok: false as const, message: rateLimitedMessage(slot.retryAfterSeconds) };
  return { ok: true as const, options: await passkeyAuthenticationOptions() };
}

export async function passkeyLoginAction(response: string, callbackUrl: string): Promise<{ ok: false; message: string }> {
  const started = await attempt(() => startPasskeySession(response));
  if (!started.ok) return { ok: false, message: failureState(started.failure).message ?? PASSKEY_FAILED_MESSAGE };
  const outcome = started.value;
  if (!outcome.ok) return { ok: false, message: PASSKEY_FAILED_MESSAGE };
  redirect(safeRedirectPath(callbackUrl));
}

export async function logoutAction(): Promise<void> {
  const session = await currentSession().catch(() => null);
  // Auth.js's signOut event deletes this session's row (lib/auth/config.ts); here it is only recorded.
  if (session) {
    await recordAudit({ type: "logout", actorId: session.user.id, targetId: session.user.id, context: await currentRequestContext() });
  }
  await signOut({ redirect: false });
  redirect("/login");
}
