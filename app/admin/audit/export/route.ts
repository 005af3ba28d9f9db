import { requestTranslator } from "@/i18n/server";
import { requireRecentAuthentication } from "@/lib/dal/session";
import { exportFilename, refusedDownload, streamedDownload } from "@/lib/http/download";
import { requestContext } from "@/lib/security/request-context";
import { auditFilterOf } from "@/lib/services/audit";
import { exportAuditEvents, recordExport } from "@/lib/services/exports";
import { auditQuerySchema } from "@/lib/validations/admin";

/** The audit log's current filter as CSV or JSON lines (`/admin/audit/export?format=jsonl&user=…&type=…&from=…&to=…`). */
export async function GET(request: Request) {
  const url = new URL(request.url);
  const returnTo = `${url.pathname}${url.search}`;
  const { user: admin } = await requireRecentAuthentication(returnTo, "ADMIN");
  const format = url.searchParams.get("format") === "jsonl" ? "jsonl" : "csv";
  const field = (name: string) => url.searchParams.get(name) ?? undefined;
  const parsed = auditQuerySchema.safeParse({ user: field("user"), type: field("type"), from: field("from"), to: field("to") });
  if (!parsed.success) return refusedDownload((await requestTranslator())("admin.exports.invalidFilter"));
  const query = parsed.data;
  const filter = auditFilterOf(query);
  const recorded = Object.fromEntries(Object.entries({ user: query.user, type: filter.type ?? "", from: query.from ?? "", to: query.to ?? "", format }).filter(([, value]) => value));
  await recordExport(admin.id, "audit", recorded, requestContext(request.headers));
  return streamedDownload(exportAuditEvents(filter, format), {
    filename: exportFilename("audit", format),
    contentType: format === "jsonl" ? "application/x-ndjson; charset=utf-8" : "text/csv; charset=utf-8",
  });
}
