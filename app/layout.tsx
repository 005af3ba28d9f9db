import type { Metadata } from "next";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getMessages, getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { LanguageSwitch } from "@/components/language-switch";
import { ImpersonationBanner } from "@/components/impersonation-banner";
import { SiteHeader } from "@/components/site-header";
import { brand } from "@/lib/env/branding";
import "./globals.css";

/** The only namespaces client components read: the rest of the catalogue stays on the server. */
const CLIENT_NAMESPACES = ["forms", "fieldErrors"] as const;

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("site");
  const { name } = brand();
  return { title: { default: name, template: `%s · ${name}` }, description: t("description") };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const [locale, messages] = await Promise.all([getLocale(), getMessages()]);
  const clientMessages = Object.fromEntries(CLIENT_NAMESPACES.map((namespace) => [namespace, messages[namespace]]));
  return (
    <html lang={locale}>
      <head>
        {/* The accent colour is runtime configuration (APP_ACCENT_COLOR), not a build asset; served by this site, the CSP admits it. */}
        {/* eslint-disable-next-line @next/next/no-css-tags */}
        {brand().accentColor ? <link rel="stylesheet" href="/brand.css" /> : null}
      </head>
      <body className="min-h-screen">
        <NextIntlClientProvider locale={locale} messages={clientMessages}>
          <ImpersonationBanner />
          <SiteHeader />
          <main className="mx-auto max-w-5xl px-4 py-10">{children}</main>
          <footer className="mx-auto flex max-w-5xl justify-end border-t border-slate-200 px-4 py-4">
            <LanguageSwitch />
          </footer>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
