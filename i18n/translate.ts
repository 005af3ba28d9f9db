import { createTranslator } from "next-intl";
import { CATALOGUES, DEFAULT_LOCALE, type Locale } from "./locales";

/** A translator outside React (actions, route handlers, error bodies, mails): the whole catalogue of one language. */
export function translator(locale: Locale = DEFAULT_LOCALE) {
  return createTranslator({ locale, messages: CATALOGUES[locale] });
}
export type Translator = ReturnType<typeof translator>;

/**
 * Layers below the presentation hand over catalogue keys (`fieldErrors.passwordTooShort`) where they have words to
 * say; anything else (a message a caller set by hand) passes through unchanged.
 */
export function localText(t: Translator, text: string, values: Record<string, string | number> = {}): string {
  const key = text as Parameters<Translator>[0];
  return t.has(key) ? t(key, values) : text;
}
