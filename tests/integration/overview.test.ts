import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getOverview } from "@/lib/services/overview";
import { freshDatabase, type TestDatabase } from "../support/database";
import { createUsersDirectly } from "../support/http";

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database.dispose();
});

const HOUR = 60 * 60 * 1000;

describe("admin overview", () => {
  it("counts users, sign-ups and (failed) sign-ins over 24 hours and 7 days, per day", async () => {
    const users = await createUsersDirectly(5, "overview");
    const ago = (hours: number) => new Date(Date.now() - hours * HOUR);
    await database.prisma.user.update({ where: { id: users[0].id }, data: { createdAt: ago(30), role: "ADMIN" } });
    await database.prisma.user.update({ where: { id: users[1].id }, data: { createdAt: ago(24 * 10), lockedAt: new Date() } });
    await database.prisma.user.update({ where: { id: users[2].id }, data: { emailVerified: new Date() } });
    await database.prisma.auditEvent.createMany({
      data: [
        { type: "login.failure", createdAt: ago(1) },
        // Four failures from one address merged into one event count as four.
        { type: "login.failure", createdAt: ago(2), lastAt: ago(1.5), count: 4 },
        { type: "login.failure", createdAt: ago(48) },
        { type: "login.failure", createdAt: ago(24 * 8) },
        { type: "login.success", createdAt: ago(3) },
      ],
    });

    const overview = await getOverview();
    expect(overview.users).toEqual({ total: 5, admins: 1, locked: 1, unverified: 4 });
    expect(overview.last24h).toEqual({ signups: 3, signIns: 1, failedSignIns: 5 });
    expect(overview.last7d).toEqual({ signups: 4, signIns: 1, failedSignIns: 6 });
    expect(overview.daily).toHaveLength(7);
    expect(overview.daily.at(-1)?.day).toBe(new Date().toISOString().slice(0, 10));
    const sum = (key: "signups" | "failedSignIns" | "signIns") => overview.daily.reduce((total, day) => total + day[key], 0);
    // The 7 calendar days reach back to midnight UTC six days ago: the event 8 days old is outside, the rest inside.
    expect(sum("failedSignIns")).toBe(6);
    expect(sum("signups")).toBe(4);
  });
});
