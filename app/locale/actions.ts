"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { LOCALE_COOKIE, LOCALE_COOKIE_MAX_AGE, isLocale } from "@/i18n/locales";
import { formText } from "@/lib/forms/form-state";
import { attempt } from "@/lib/forms/action-outcome";
import { currentSession } from "@/lib/dal/session";
import { setPreferredLocale } from "@/lib/services/accounts";
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
    // A signed-in person's choice goes with the account, so their mails follow it (not while an admin views as them).
    const session = await currentSession().catch(() => null);
    if (session && !session.impersonation) await attempt(() => setPreferredLocale(session.user.id, locale));
  }
  redirect(returnTo);
}
