/** One year, as HSTS preload lists expect. */
export const HSTS_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;
export const NONCE_BYTES = 16;

/**
 * Pages whose URL carries a mailed token send a Referer to this origin only. Not `no-referrer`: under it browsers
 * post forms with `Origin: null`, which Next.js rightly refuses for server actions.
 */
/** The path (and query) of the page being rendered, for pages that need to link back to themselves. */
export const REQUEST_PATH_HEADER = "x-latchkey-path";

export const TOKEN_PAGE_PATHS = ["/reset-password", "/verify-email"];
export const TOKEN_PAGE_REFERRER_POLICY = "same-origin";

export function createNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(NONCE_BYTES))).toString("base64");
}

/**
 * Scripts run only with this request's nonce (Next.js puts it on its own scripts); 'strict-dynamic' lets those
 * load the chunks they need. Development adds 'unsafe-eval', which React's dev tooling requires, and inline
 * styles, which the dev bundler injects (a nonce in the list would make browsers ignore 'unsafe-inline').
 */
export function pageContentSecurityPolicy(
  nonce: string,
  {
    development,
    https,
    inlineStyles = false,
    formTargets = [],
    imageSources = [],
  }: { development: boolean; https: boolean; inlineStyles?: boolean; formTargets?: string[]; imageSources?: string[] },
): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    development || inlineStyles ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    // The logo (APP_LOGO_URL) may live on another https origin.
    `img-src 'self' data: blob:${imageSources.map((origin) => ` ${origin}`).join("")}`,
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    // A form may lead to the configured identity providers: "Continue with …" redirects there, which browsers
    // check against form-action when JavaScript is off.
    `form-action 'self'${formTargets.map((origin) => ` ${origin}`).join("")}`,
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** The API reference's renderer sets style attributes; scripts there still need the nonce. */
export const INLINE_STYLE_PATHS = ["/docs/api"];

export function strictTransportSecurity(): string {
  return `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains`;
}
