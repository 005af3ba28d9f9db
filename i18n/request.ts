import { getRequestConfig } from "next-intl/server";
import { CATALOGUES } from "./locales";
import { requestLocale } from "./server";

/** next-intl's per-request setup: no locale in the URL, so the cookie or Accept-Language decides. */
export default getRequestConfig(async () => {
  const locale = await requestLocale();
  return { locale, messages: CATALOGUES[locale] };
});
