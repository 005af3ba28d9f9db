"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { LOCALE_COOKIE, LOCALE_COOKIE_MAX_AGE, isLocale } from "@/i18n/locales";
import { formText } from "@/lib/forms/form-state";
import { safeRedirectPath } from "@/lib/security/redirect-target";

/**
 * The language switch on every page: a plain form, so it works without JavaScript. The choice is remembered in a
 * cookie (the URL never carries the language) and the reader goes back to the page they were on.
 */
export async function setLocaleAction(formData: FormData): Promise<void> {
  const locale = formText(formData, "locale");
  const returnTo = safeRedirectPath(formText(formData, "returnTo"), "/");
  if (isLocale(locale)) {
    (await cookies()).set(LOCALE_COOKIE, locale, { maxAge: LOCALE_COOKIE_MAX_AGE, sameSite: "lax", path: "/", httpOnly: true });
  }
  redirect(returnTo);
}
