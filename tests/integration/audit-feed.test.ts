import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as auditFeed } from "@/app/api/v1/admin/audit/route";
import { createUserApiKey } from "@/lib/services/api-keys";
import { freshDatabase, type TestDatabase } from "../support/database";
import { TEST_CONTEXT, createAdminWithToken, createUserWithToken, noContext, request } from "../support/http";

let database: TestDatabase;
let admin: Awaited<ReturnType<typeof createAdminWithToken>>;
beforeAll(async () => {
  database = await freshDatabase();
  admin = await createAdminWithToken("auditor");
});
afterAll(async () => {
  await database.dispose();
});

type Feed = { events: { id: string; type: string; actorId: string | null; targetId: string | null; createdAt: string }[]; nextCursor: string | null };

const feed = (query: Record<string, string>, bearer: string | undefined = admin.token) =>
  auditFeed(request(`/api/v1/admin/audit?${new URLSearchParams(query)}`, { token: bearer }), noContext);

async function page(query: Record<string, string>): Promise<Feed> {
  const response = await feed(query);
  expect(response.status).toBe(200);
  return (await response.json()) as Feed;
}

/** Events of a made-up actor at known times, several sharing one millisecond so the id breaks the tie. */
async function seed(actorId: string, times: Date[]): Promise<void> {
  await database.prisma.auditEvent.createMany({
    data: times.map((at, index) => ({ type: index % 2 ? "user.lock" : "user.unlock", actorId, targetId: `t${index % 3}`, createdAt: at, lastAt: at })),
  });
}

describe("GET /api/v1/admin/audit", () => {
  it("answers 401 without credentials and 403 to a non-admin, by token or API key", async () => {
    expect((await auditFeed(request("/api/v1/admin/audit"), noContext)).status).toBe(401);
    const user = await createUserWithToken("curious");
    const forbidden = await feed({}, user.token);
    expect(forbidden.status).toBe(403);
    expect((await forbidden.json()).error.code).toBe("forbidden");
    const { key } = await createUserApiKey(user.user.id, { name: "siem" }, TEST_CONTEXT);
    expect((await feed({}, key)).status).toBe(403);
  });

  it("pages newest first by cursor without repeats or gaps, even when events are written between pages", async () => {
    const actor = "feedactor1";
    const base = Date.parse("2026-01-01T00:00:00Z");
    const times = Array.from({ length: 12 }, (_, index) => new Date(base + Math.floor(index / 3) * 1000));
    await seed(actor, times);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const result: Feed = await page({ actor, limit: "5", ...(cursor && { cursor }) });
      seen.push(...result.events.map((event) => event.id));
      for (const [index, event] of result.events.entries()) {
        if (index) expect(event.createdAt <= result.events[index - 1].createdAt).toBe(true);
      }
      cursor = result.nextCursor;
      pages += 1;
      if (pages === 1) await seed(actor, [new Date(), new Date()]);
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
    const all = await database.prisma.auditEvent.findMany({ where: { actorId: actor, createdAt: { lt: new Date(base + 3_600_000) } }, select: { id: true } });
    expect(seen.sort()).toEqual(all.map((row) => row.id).sort());
  });

  it("filters by type, actor, target and a half-open time range", async () => {
    const actor = "feedactor2";
    const base = Date.parse("2025-06-01T00:00:00Z");
    await seed(actor, Array.from({ length: 6 }, (_, index) => new Date(base + index * 60_000)));
    const byType = await page({ actor, type: "user.lock" });
    expect(byType.events).toHaveLength(3);
    expect(byType.events.every((event) => event.type === "user.lock" && event.actorId === actor)).toBe(true);
    const byTarget = await page({ actor, target: "t0" });
    expect(byTarget.events.map((event) => event.targetId)).toEqual(["t0", "t0"]);
    const ranged = await page({ actor, since: new Date(base + 60_000).toISOString(), until: new Date(base + 180_000).toISOString() });
    expect(ranged.events.map((event) => event.createdAt)).toEqual([new Date(base + 120_000).toISOString(), new Date(base + 60_000).toISOString()]);
    const byDay = await page({ actor, since: "2025-06-01", until: "2025-06-02" });
    expect(byDay.events).toHaveLength(6);
    expect(byDay.nextCursor).toBeNull();
  });

  it("answers 400 validation_error for bad dates, an unknown type, a forged cursor or an unknown parameter", async () => {
    const queries: Record<string, string>[] = [{ since: "yesterday" }, { until: "2026-13-45" }, { type: "no.such_type" }, { cursor: "bm90IGpzb24" }, { limit: "0" }, { sort: "asc" }];
    for (const query of queries) {
      const response = await feed(query);
      expect(response.status, JSON.stringify(query)).toBe(400);
      expect((await response.json()).error.code).toBe("validation_error");
    }
  });
});
