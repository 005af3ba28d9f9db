/** Where a sign-in lands when it was given no usable target. */
export const DEFAULT_REDIRECT_PATH = "/dashboard";
const MAX_TARGET_LENGTH = 2048;
// Only for resolving relative paths; never sent anywhere.
const PARSING_ORIGIN = "http://latchkey.invalid";
const CONTROL_OR_BACKSLASH = /[\u0000-\u001f\u007f\\]/;
// A proxy or router that decodes the path once would read these as separators, e.g. `/%2f%2fevil` as `//evil`.
const ENCODED_SEPARATOR = /%(?:2f|5c)/i;

function serialize(url: URL): string {
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * The one decision about every redirect target that comes from a request (`callbackUrl`, `returnTo`, `from`).
 * The candidate is normalised first (URL parsing resolves `.`/`..` segments, also percent-encoded ones, so
 * `/.//evil.example/` becomes `//evil.example/`), and only then judged: the result must stay on this origin and be
 * a path no browser can read as another host. The string returned is exactly what was judged; send it unchanged.
 */
export function safeRedirectPath(candidate: unknown, fallback: string = DEFAULT_REDIRECT_PATH): string {
  if (typeof candidate !== "string" || candidate.length > MAX_TARGET_LENGTH) return fallback;
  // Judged before parsing too: the parser silently drops tabs and newlines and reads `\` as `/`.
  if (!candidate.startsWith("/") || CONTROL_OR_BACKSLASH.test(candidate)) return fallback;
  let url: URL;
  try {
    url = new URL(candidate, PARSING_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== PARSING_ORIGIN) return fallback;
  // A serialised path always starts with "/", and the parser adds no control character or backslash to a candidate
  // that had none; what normalising can make is a leading "//" (`/.//evil.example/`), another host to a browser.
  const target = serialize(url);
  if (target.startsWith("//")) return fallback;
  if (ENCODED_SEPARATOR.test(url.pathname) || target.length > MAX_TARGET_LENGTH) return fallback;
  // A fixed point: whoever parses the target again (the browser) reads the same path we judged. Defence in depth: no
  // input is known that passes the checks above and fails this one.
  // Stryker disable next-line ConditionalExpression: equivalent while the checks above hold (docs/testing.md)
  if (serialize(new URL(target, PARSING_ORIGIN)) !== target) return fallback;
  return target;
}
