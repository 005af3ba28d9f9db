import { brand } from "@/lib/env/branding";
import { safeRedirectPath } from "@/lib/security/redirect-target";

/** Seconds a browser (or a person) should wait before trying again. */
const RETRY_AFTER_SECONDS = 5;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/**
 * Where pages send the browser during a database outage (lib/dal/availability.ts): plain HTML that needs neither
 * JavaScript nor the database, answered 503 so that nothing caches it or mistakes it for the page.
 */
export function GET(request: Request) {
  const name = escapeHtml(brand().name);
  const back = escapeHtml(safeRedirectPath(new URL(request.url).searchParams.get("from"), "/"));
  const html = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>Temporarily unavailable · ${name}</title></head>
<body>
<main role="alert">
<h1>Temporarily unavailable</h1>
<p>${name} can't reach its database right now. Nothing you saved is lost, and you are still signed in; this usually fixes itself in a moment.</p>
<p><a href="${back}">Try again</a></p>
</main>
</body>
</html>
`;
  return new Response(html, {
    status: 503,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "retry-after": String(RETRY_AFTER_SECONDS) },
  });
}
