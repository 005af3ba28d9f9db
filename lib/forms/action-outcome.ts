import "server-only";
import type { z } from "zod";
import { isOutage } from "@/lib/dal/availability";
import { ApiError, type ErrorCode } from "@/lib/errors";
import { apiErrorState, unavailableState, validationFailure, type FormState } from "./form-state";
import type { NoticeKey } from "./notices";

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
export function failureState(failure: Failure, values?: Record<string, string>): FormState {
  return failure.kind === "outage" ? unavailableState(values) : apiErrorState(failure.error, values);
}

/** A form's input through its schema: every field error at once, or the data. */
export function parseForm<S extends z.ZodType>(
  schema: S,
  input: unknown,
  values?: Record<string, string>,
): { ok: true; data: z.output<S> } | { ok: false; state: FormState } {
  const parsed = schema.safeParse(input);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, state: validationFailure(parsed.error, values) };
}

/** For forms that answer in place: the work's value, or the form state to return. */
export async function attemptForm<T>(
  work: () => Promise<T>,
  values?: Record<string, string>,
): Promise<{ ok: true; value: T } | { ok: false; state: FormState }> {
  const outcome = await attempt(work);
  return outcome.ok ? outcome : { ok: false, state: failureState(outcome.failure, values) };
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
