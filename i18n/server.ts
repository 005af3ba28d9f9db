import "server-only";
import { cookies, headers } from "next/headers";
import { DEFAULT_LOCALE, LOCALE_COOKIE, resolveLocale, type Locale } from "./locales";
import { translator, type Translator } from "./translate";

/**
 * The reader's language for this request: the switch's cookie, else Accept-Language. Outside a request (a script,
 * a test calling an action directly) there is no reader, so the source language.
 */
export async function requestLocale(): Promise<Locale> {
  try {
    const [cookieStore, headerList] = await Promise.all([cookies(), headers()]);
    return resolveLocale(cookieStore.get(LOCALE_COOKIE)?.value, headerList.get("accept-language"));
  } catch {
    return DEFAULT_LOCALE;
  }
}

export async function requestTranslator(): Promise<Translator> {
  return translator(await requestLocale());
}
