import type { Metadata } from "next";
import { PageTitle } from "@/components/ui/card";
import { env } from "@/lib/env";
import { buildOpenApiDocument } from "@/lib/openapi";
import { curlExample } from "@/lib/openapi/curl-examples";
import { SwaggerReference } from "@/components/docs/swagger-reference";

export const metadata: Metadata = { title: "API reference" };

type Operation = Parameters<typeof curlExample>[2] & { responses?: Record<string, { description: string }> };

/**
 * The OpenAPI document rendered twice: as server-side HTML with curl examples (works without JavaScript), and by
 * swagger-ui from npm, bundled and served from this origin, for browsing the schemas.
 */
export default function ApiReferencePage() {
  const document = buildOpenApiDocument(env().PASSWORD_MIN_LENGTH);
  const operations = Object.entries(document.paths as Record<string, Record<string, Operation>>).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
  );
  return (
    <div className="space-y-8">
      <div className="space-y-2">
        <PageTitle>API reference</PageTitle>
        <p className="text-sm text-slate-600">
          {document.info.description} The machine-readable document is at{" "}
          <a href="/api/v1/openapi.json" className="font-medium text-indigo-700 hover:underline">
            /api/v1/openapi.json
          </a>
          . In the examples, <code>B</code> is this server&apos;s address and <code>TOKEN</code> an access token from{" "}
          <code>POST /api/v1/auth/token</code> or an <code>lk_</code> API key.
        </p>
      </div>
      <section aria-labelledby="curl-heading" className="space-y-4">
        <h2 id="curl-heading" className="text-lg font-semibold text-slate-900">
          Endpoints with curl
        </h2>
        {operations.map(({ path, method, operation }) => (
          <article key={`${method} ${path}`} className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
            <h3 className="font-mono text-sm font-semibold text-slate-900">
              {method.toUpperCase()} {path}
            </h3>
            {operation.summary ? <p className="mt-1 text-sm text-slate-600">{operation.summary}</p> : null}
            <pre className="mt-3 overflow-x-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100">
              <code>{curlExample(method, path, operation)}</code>
            </pre>
            {operation.responses ? (
              <p className="mt-2 text-xs text-slate-500">
                {Object.entries(operation.responses)
                  .map(([status, response]) => `${status} ${response.description}`)
                  .join(" · ")}
              </p>
            ) : null}
          </article>
        ))}
      </section>
      <section aria-labelledby="schema-heading" className="space-y-2">
        <h2 id="schema-heading" className="text-lg font-semibold text-slate-900">
          Interactive reference
        </h2>
        <noscript>
          <p className="text-sm text-slate-600">The interactive reference needs JavaScript; the endpoints above don&apos;t.</p>
        </noscript>
        <div className="rounded-xl bg-white ring-1 ring-slate-200">
          <SwaggerReference url="/api/v1/openapi.json" />
        </div>
      </section>
    </div>
  );
}
