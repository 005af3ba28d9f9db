import Bowser from "bowser";
import { DEFAULT_LOCALE, type Locale } from "@/i18n/locales";
import { translator } from "@/i18n/translate";

// The first product token of a user agent ("curl/8.4.0" → "curl"): programs that no browser table knows.
const PRODUCT = /^([A-Za-z][A-Za-z0-9._-]{0,39})(?:\/|\s|$)/;

/**
 * A person's name for the device behind a session, "Chrome on macOS" ("Chrome unter macOS"), from its user agent
 * through a maintained parser (bowser), so that browser and system names stay current without patterns of our own.
 * A program the parser doesn't know is named by its product token; a missing agent is "Unknown device". The words
 * around the names are the reader's (`device.*` in the catalogues); the API answers in the source language.
 */
export function describeDevice(userAgent: string | null | undefined, locale: Locale = DEFAULT_LOCALE): string {
  const t = translator(locale);
  const agent = userAgent?.trim();
  if (!agent) return t("device.unknown");
  const { browser, os } = Bowser.parse(agent);
  const program = browser.name || PRODUCT.exec(agent)?.[1];
  if (!program) return os.name ? t("device.unknownBrowserOn", { os: os.name }) : t("device.unknown");
  return os.name ? t("device.on", { program, os: os.name }) : program;
}
