import { authenticateRole } from "@/lib/http/authenticate";
import { parseWith } from "@/lib/http/body";
import { apiRoute, json } from "@/lib/http/route";
import { listAuditFeed } from "@/lib/services/audit-feed";
import { auditFeedQuerySchema } from "@/lib/validations/admin";

/** The audit log for a SIEM: filters and an opaque cursor (`nextCursor`, null on the last page). */
export const GET = apiRoute(async (request) => {
  await authenticateRole(request, "ADMIN", "admin:users:read");
  const query = parseWith(auditFeedQuerySchema, Object.fromEntries(new URL(request.url).searchParams));
  return json(await listAuditFeed(query));
});
