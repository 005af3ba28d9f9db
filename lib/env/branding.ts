import { brandingEnv, publicOrigin } from "./index";

/** What the product is called and how it looks, everywhere it shows: pages, mails, authenticator apps, passkeys. */
export type Brand = {
  name: string;
  /** An https URL or a path on this site (a file in public/), shown beside the name. */
  logoUrl?: string;
  /** `#rrggbb`: buttons, links and the mail's button instead of the default indigo. */
  accentColor?: string;
};

export function brand(): Brand {
  const { APP_NAME, APP_LOGO_URL, APP_ACCENT_COLOR } = brandingEnv();
  return { name: APP_NAME, logoUrl: APP_LOGO_URL, accentColor: APP_ACCENT_COLOR };
}

/** The sender of every mail: `MAIL_FROM`, else the product's name at no-reply@localhost. */
export function mailFrom(): string {
  const { MAIL_FROM, APP_NAME } = brandingEnv();
  return MAIL_FROM ?? `${APP_NAME.replace(/["\\<>]/g, "")} <no-reply@localhost>`;
}

/** The logo as a mail can show it: a path on this site becomes a full URL under the public origin. */
export function absoluteLogoUrl(): string | undefined {
  const { APP_LOGO_URL } = brandingEnv();
  return APP_LOGO_URL ? new URL(APP_LOGO_URL, publicOrigin()).toString() : undefined;
}

/** Where the logo comes from when it is not this site, for the pages' Content-Security-Policy (img-src). */
export function logoOrigin(): string | undefined {
  const { APP_LOGO_URL } = brandingEnv();
  return APP_LOGO_URL?.startsWith("https://") ? new URL(APP_LOGO_URL).origin : undefined;
}
