import { db } from "@/lib/db/client";
import type { RequestContext } from "@/lib/security/request-context";
import { userSearchWhere } from "./admin";
import { auditWhere, flushRepeatedAudits, recordAudit, type AuditFilter } from "./audit";
import { keysetBatches, newerThan, olderThan } from "./keyset";
import { activeSuspension } from "./suspension";

/** Rows read per query: memory holds one batch, whatever the export's size. */
export const EXPORT_BATCH_SIZE = 1_000;

/**
 * One CSV field (RFC 4180). A cell a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, a tab or
 * a carriage return: OWASP's CSV injection list) gets a leading `'`, so a username like `=HYPERLINK(…)` stays text.
 */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvRow = (cells: (string | number | boolean | null)[]) => `${cells.map(csvCell).join(",")}\r\n`;

export const USER_EXPORT_COLUMNS = ["id", "username", "email", "role", "emailVerified", "createdAt", "lastLoginAt", "locked", "suspendedUntil", "twoFactor"] as const;

/**
 * The users the admin table shows for `query` (the same search), oldest first, as CSV lines: one batch of
 * EXPORT_BATCH_SIZE rows in memory at a time, read by keyset (createdAt, id), so rows added meanwhile never shift one.
 */
export async function* exportUsersCsv(query: string, batchSize = EXPORT_BATCH_SIZE): AsyncGenerator<string> {
  const search = userSearchWhere(query);
  yield csvRow([...USER_EXPORT_COLUMNS]);
  const batches = keysetBatches(
    (last) =>
      db().user.findMany({
        where: last ? { AND: [search, ...newerThan(last)] } : search,
        select: { id: true, username: true, email: true, role: true, emailVerified: true, createdAt: true, lastLoginAt: true, lockedAt: true, suspendedUntil: true, totpEnabledAt: true },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        take: batchSize,
      }),
    batchSize,
  );
  for await (const rows of batches) {
    yield rows
      .map((row) =>
        csvRow([
          row.id,
          row.username,
          row.email,
          row.role,
          row.emailVerified !== null,
          row.createdAt.toISOString(),
          row.lastLoginAt?.toISOString() ?? null,
          row.lockedAt !== null,
          activeSuspension(row.suspendedUntil)?.toISOString() ?? null,
          row.totpEnabledAt !== null,
        ]),
      )
      .join("");
  }
}

export const AUDIT_EXPORT_COLUMNS = ["id", "createdAt", "lastAt", "count", "type", "actorId", "targetId", "ip", "userAgent", "detail"] as const;

export type AuditExportFormat = "csv" | "jsonl";

/**
 * The events the audit page shows for `filter`, newest first, as CSV lines or JSON lines (one event per line, for a
 * SIEM), a batch at a time by keyset (createdAt, id).
 */
export async function* exportAuditEvents(filter: AuditFilter, format: AuditExportFormat, batchSize = EXPORT_BATCH_SIZE): AsyncGenerator<string> {
  await flushRepeatedAudits();
  const where = await auditWhere(filter);
  if (format === "csv") yield csvRow([...AUDIT_EXPORT_COLUMNS]);
  const batches = keysetBatches(
    (last) =>
      db().auditEvent.findMany({
        where: last ? { AND: [where, ...olderThan(last)] } : where,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: batchSize,
      }),
    batchSize,
  );
  for await (const rows of batches) {
    yield rows
      .map((row) => {
        const event = {
          id: row.id,
          createdAt: row.createdAt.toISOString(),
          lastAt: row.lastAt.toISOString(),
          count: row.count,
          type: row.type,
          actorId: row.actorId,
          targetId: row.targetId,
          ip: row.ip,
          userAgent: row.userAgent,
          detail: row.detail ?? null,
        };
        if (format === "jsonl") return `${JSON.stringify(event)}\n`;
        return csvRow(AUDIT_EXPORT_COLUMNS.map((column) => (column === "detail" ? (event.detail === null ? null : JSON.stringify(event.detail)) : event[column])));
      })
      .join("");
  }
}

/** Who took which export with which filter: a copy of every address leaving the app is an event worth a row. */
export async function recordExport(adminId: string, what: "users" | "audit", filter: Record<string, string>, context: RequestContext): Promise<void> {
  await recordAudit({ type: what === "users" ? "export.users" : "export.audit", actorId: adminId, context, detail: { filter } });
}
