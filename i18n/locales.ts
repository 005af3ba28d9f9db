import de from "@/messages/de.json";
import en from "@/messages/en.json";

/**
 * The one place a language is registered: its catalogue and the name it is offered under (in its own language).
 * English is the source and the default; every other catalogue has exactly its keys (i18n/catalogues.test.ts).
 */
export const CATALOGUES = { en, de } as const;
export const LANGUAGE_NAMES: Record<Locale, string> = { en: "English", de: "Deutsch" };

export type Locale = keyof typeof CATALOGUES;
export type Messages = typeof en;
export const DEFAULT_LOCALE: Locale = "en";
export const LOCALES = Object.keys(CATALOGUES) as Locale[];
/** Remembers a visitor's choice from the language switch; paths never carry the language. */
export const LOCALE_COOKIE = "locale";
export const LOCALE_COOKIE_MAX_AGE = 365 * 24 * 60 * 60;

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && Object.hasOwn(CATALOGUES, value);
}

/** `de-AT;q=0.8, en;q=0.5` → the best supported language by weight, matched on the primary subtag. */
export function negotiateLocale(acceptLanguage: string | null | undefined): Locale {
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const ranked = acceptLanguage
    .slice(0, 512)
    .split(",")
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((param) => param.trim()).find((param) => param.startsWith("q="));
      const weight = q ? Number(q.slice(2)) : 1;
      return { language: tag.trim().toLowerCase().split("-")[0], weight: Number.isFinite(weight) ? weight : 0, index };
    })
    .filter((entry) => entry.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return ranked.map((entry) => entry.language).find(isLocale) ?? DEFAULT_LOCALE;
}

/** A stored language (an account's, the request's) if it is one of ours, else the source language. */
export function supportedLocale(value: unknown): Locale {
  return isLocale(value) ? value : DEFAULT_LOCALE;
}

/** The cookie wins (an explicit choice); otherwise the browser's languages. */
export function resolveLocale(cookieValue: string | undefined, acceptLanguage: string | null | undefined): Locale {
  return isLocale(cookieValue) ? cookieValue : negotiateLocale(acceptLanguage);
}
