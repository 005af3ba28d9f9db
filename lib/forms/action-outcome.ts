import "server-only";
import { z } from "zod";
import { requestTranslator } from "@/i18n/server";
import { translator, type Translator } from "@/i18n/translate";
import { isOutage } from "@/lib/dal/availability";
import { brand } from "@/lib/env/branding";
import { ApiError, localizeFieldErrors, type ErrorCode, type FieldErrors } from "@/lib/errors";
import type { FormState } from "./form-state";
import type { NoticeKey } from "./notices";

/** The outage message in the source language, for callers and tests that compare with it. */
export const unavailableMessage = () => translator()("formMessages.unavailable", { app: brand().name });

/** Every field error at once, in the reader's language (the schemas speak in catalogue keys). */
export async function validationFailure(error: z.ZodError, values?: Record<string, string>): Promise<FormState> {
  const t = await requestTranslator();
  const { fieldErrors, formErrors } = z.flattenError(error);
  return {
    status: "error",
    message: formErrors[0] ?? t("formMessages.correctFields"),
    fieldErrors: localizeFieldErrors(t, fieldErrors as FieldErrors),
    values,
  };
}

/** A coded error on the form: its words for the reader, and a wait in minutes or seconds when rate limited. */
export async function apiErrorState(error: ApiError, values?: Record<string, string>): Promise<FormState> {
  const t = await requestTranslator();
  const retryAfter = Number(error.headers?.["Retry-After"]);
  if (error.status === 429 && retryAfter > 0) return { status: "error", message: waitMessage(t, retryAfter), values };
  return { status: "error", message: error.localizedMessage(t), fieldErrors: error.localizedFields(t), values };
}

/** The database is away: the form comes back with what was typed (never the password) and says so. */
export async function unavailableState(values?: Record<string, string>): Promise<FormState> {
  return { status: "error", message: (await requestTranslator())("formMessages.unavailable", { app: brand().name }), values };
}

/** "Too many attempts. Try again in 3 minutes.": whole minutes above a minute, seconds below. */
export async function rateLimitedMessage(retryAfterSeconds: number): Promise<string> {
  return waitMessage(await requestTranslator(), retryAfterSeconds);
}

function waitMessage(t: Translator, retryAfterSeconds: number): string {
  return retryAfterSeconds < 60
    ? t("formMessages.rateLimitedSeconds", { count: retryAfterSeconds })
    : t("formMessages.rateLimitedMinutes", { count: Math.ceil(retryAfterSeconds / 60) });
}

/**
 * The one path from a server action's work to what the browser sees. The work runs here; a coded error or a
 * database outage becomes a value, anything else (a bug, a redirect thrown by a guard) goes on up. The action
 * then returns the form state or calls redirect() itself, outside any try/catch.
 */
export type Failure = { kind: "coded"; error: ApiError } | { kind: "outage" };
export type Outcome<T> = { ok: true; value: T } | { ok: false; failure: Failure };

export async function attempt<T>(work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof ApiError) return { ok: false, failure: { kind: "coded", error } };
    if (isOutage(error)) return { ok: false, failure: { kind: "outage" } };
    throw error;
  }
}

/** A failure on the form: the error's message and field errors (or the outage message), with what was typed. */
export async function failureState(failure: Failure, values?: Record<string, string>): Promise<FormState> {
  return failure.kind === "outage" ? unavailableState(values) : apiErrorState(failure.error, values);
}

/** A form's input through its schema: every field error at once, or the data. */
export async function parseForm<S extends z.ZodType>(
  schema: S,
  input: unknown,
  values?: Record<string, string>,
): Promise<{ ok: true; data: z.output<S> } | { ok: false; state: FormState }> {
  const parsed = schema.safeParse(input);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, state: await validationFailure(parsed.error, values) };
}

/** For forms that answer in place: the work's value, or the form state to return. */
export async function attemptForm<T>(
  work: () => Promise<T>,
  values?: Record<string, string>,
): Promise<{ ok: true; value: T } | { ok: false; state: FormState }> {
  const outcome = await attempt(work);
  return outcome.ok ? outcome : { ok: false, state: await failureState(outcome.failure, values) };
}

export type NoticeMap = { ok: NoticeKey; failed?: NoticeKey } & Partial<Record<ErrorCode, NoticeKey>>;

/**
 * For buttons that answer with a redirect: the notice for the outcome. A coded error gets the notice its code is
 * mapped to (else `failed`), an outage the "unavailable" one, so a refusal never reads as a success.
 */
export async function attemptNotice(work: () => Promise<unknown>, notices: NoticeMap): Promise<NoticeKey> {
  const outcome = await attempt(work);
  if (outcome.ok) return notices.ok;
  return failureNotice(outcome.failure, notices);
}

export function failureNotice(failure: Failure, notices: Omit<NoticeMap, "ok">): NoticeKey {
  if (failure.kind === "outage") return "unavailable";
  return notices[failure.error.reason] ?? notices.failed ?? "failed";
}
