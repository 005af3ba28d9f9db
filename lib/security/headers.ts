/** One year, as HSTS preload lists expect. */
export const HSTS_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;
export const NONCE_BYTES = 16;
/** Pages whose URL carries a secret token: no Referer at all leaves them. */
export const NO_REFERRER_PATHS = ["/reset-password", "/verify-email"];

export function createNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(NONCE_BYTES))).toString("base64");
}

/**
 * Scripts run only with this request's nonce (Next.js puts it on its own scripts); 'strict-dynamic' lets those
 * load the chunks they need. Development adds 'unsafe-eval', which React's dev tooling requires, and inline
 * styles, which the dev bundler injects (a nonce in the list would make browsers ignore 'unsafe-inline').
 */
export function pageContentSecurityPolicy(nonce: string, { development, https }: { development: boolean; https: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    development ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

export function strictTransportSecurity(): string {
  return `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains`;
}
