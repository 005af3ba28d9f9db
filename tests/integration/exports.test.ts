import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { recordAudit } from "@/lib/services/audit";
import { AUDIT_EXPORT_COLUMNS, USER_EXPORT_COLUMNS, csvCell, exportAuditEvents, exportUsersCsv, recordExport } from "@/lib/services/exports";
import { freshDatabase, type TestDatabase } from "../support/database";
import { TEST_CONTEXT } from "../support/http";

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database.dispose();
});

async function collect(lines: AsyncGenerator<string>): Promise<string> {
  let text = "";
  for await (const chunk of lines) text += chunk;
  return text;
}

/** RFC 4180 back into rows, to check the writer against a reader rather than against itself. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        cell += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(cell);
      cell = "";
    } else if (char === "\r" && text[index + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      index += 1;
    } else cell += char;
  }
  return rows;
}

let created = 0;
async function user(username: string, email = `${username}@example.com`, at = new Date(Date.UTC(2026, 0, 1, 0, 0, created++))) {
  return db().user.create({ data: { username, email, createdAt: at }, select: { id: true } });
}

describe("CSV cells", () => {
  it("quote what needs quoting and neutralise what a spreadsheet would run as a formula", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    for (const formula of ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]) expect(csvCell(formula).replace(/^"/, "").startsWith("'")).toBe(true);
    expect(csvCell("=HYPERLINK(\"http://evil.example\",\"x\")")).toBe('"\'=HYPERLINK(""http://evil.example"",""x"")"');
    expect(csvCell(-1)).toBe("-1");
    expect(csvCell(null)).toBe("");
    expect(csvCell(true)).toBe("true");
  });
});

describe("exporting users", () => {
  it("exports the table's search, oldest first, across batches, with formula-like names neutralised", async () => {
    const ids = [];
    for (let index = 0; index < 7; index += 1) ids.push((await user(`exp_match_${index}`)).id);
    await user("exp_other", "someone@elsewhere.example");
    const formula = await user("=cmd_exp_match", "formula@example.com");
    await db().user.update({ where: { id: ids[2] }, data: { lockedAt: new Date(), emailVerified: new Date() } });

    const rows = parseCsv(await collect(exportUsersCsv("EXP_MATCH", 3)));
    expect(rows[0]).toEqual([...USER_EXPORT_COLUMNS]);
    expect(rows.slice(1).map((row) => row[0])).toEqual([...ids, formula.id]);
    expect(rows[3]).toMatchObject({ 1: "exp_match_2", 3: "USER", 4: "true", 7: "true" });
    expect(rows[1]).toMatchObject({ 4: "false", 6: "", 7: "false", 8: "", 9: "false" });
    expect(rows.at(-1)![1]).toBe("'=cmd_exp_match");
    // Without a search: everyone, the one elsewhere too.
    expect(parseCsv(await collect(exportUsersCsv(""))).some((row) => row[2] === "someone@elsewhere.example")).toBe(true);
  });

  it("takes one batch at a time: the next is read only when the last was taken", async () => {
    for (let index = 0; index < 5; index += 1) await user(`exp_batch_${index}`);
    const lines = exportUsersCsv("exp_batch_", 2);
    const chunks = [];
    for await (const chunk of lines) chunks.push(chunk.split("\r\n").filter(Boolean).length);
    // The header, then 2 + 2 + 1 rows.
    expect(chunks).toEqual([1, 2, 2, 1]);
  });
});

describe("exporting the audit log", () => {
  it("exports the page's filter, newest first, as CSV and as JSON lines, and records who exported what", async () => {
    const target = await user("exp_audited");
    const other = await user("exp_unaudited");
    for (let index = 0; index < 5; index += 1) {
      await recordAudit({ type: "user.lock", actorId: other.id, targetId: target.id, context: TEST_CONTEXT, detail: { via: "admin" } });
    }
    await recordAudit({ type: "user.unlock", actorId: other.id, targetId: other.id, context: TEST_CONTEXT });
    await recordAudit({ type: "user.role_change", actorId: other.id, targetId: target.id, context: { ...TEST_CONTEXT, userAgent: "=2+5" } });

    const csv = parseCsv(await collect(exportAuditEvents({ user: "exp_audited" }, "csv", 2)));
    expect(csv[0]).toEqual([...AUDIT_EXPORT_COLUMNS]);
    expect(csv.slice(1).map((row) => row[4])).toEqual(["user.role_change", ...Array(5).fill("user.lock")]);
    expect(csv[1][8]).toBe("'=2+5");
    expect(JSON.parse(csv[2][9])).toEqual({ via: "admin" });

    const lines = (await collect(exportAuditEvents({ user: target.id, type: "user.lock" }, "jsonl", 2))).trimEnd().split("\n");
    expect(lines).toHaveLength(5);
    const events = lines.map((line) => JSON.parse(line));
    expect(events[0]).toMatchObject({ type: "user.lock", actorId: other.id, targetId: target.id, ip: TEST_CONTEXT.ip, detail: { via: "admin" }, count: 1 });
    expect(events.map((event) => event.createdAt)).toEqual([...events.map((event) => event.createdAt)].sort().reverse());

    await recordExport(other.id, "audit", { user: "exp_audited", format: "csv" }, TEST_CONTEXT);
    const recorded = await db().auditEvent.findFirstOrThrow({ where: { type: "export.audit", actorId: other.id } });
    expect(recorded.detail).toEqual({ filter: { user: "exp_audited", format: "csv" } });
  });
});
