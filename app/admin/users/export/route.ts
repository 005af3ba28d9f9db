import { requestTranslator } from "@/i18n/server";
import { requireRecentAuthentication } from "@/lib/dal/session";
import { exportFilename, refusedDownload, streamedDownload } from "@/lib/http/download";
import { requestContext } from "@/lib/security/request-context";
import { exportUsersCsv, recordExport } from "@/lib/services/exports";
import { listUsersQuerySchema } from "@/lib/validations/admin";

/** The users table's current search as CSV (`/admin/users/export?query=…`). Every address leaves with it: sudo mode. */
export async function GET(request: Request) {
  const url = new URL(request.url);
  const returnTo = `${url.pathname}${url.search}`;
  const { user: admin } = await requireRecentAuthentication(returnTo, "ADMIN");
  const parsed = listUsersQuerySchema.shape.query.safeParse(url.searchParams.get("query") ?? undefined);
  if (!parsed.success) return refusedDownload((await requestTranslator())("admin.exports.invalidSearch"));
  const query = parsed.data;
  await recordExport(admin.id, "users", { query, format: "csv" }, requestContext(request.headers));
  return streamedDownload(exportUsersCsv(query), { filename: exportFilename("users", "csv"), contentType: "text/csv; charset=utf-8" });
}
