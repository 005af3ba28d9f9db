import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listUsers } from "@/lib/services/admin";
import { ADMIN_USER_QUERIES, seedUsers } from "../../scripts/lib/seed-users";
import { freshDatabase, type TestDatabase } from "../support/database";

const USERS = 100_000;

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
  await seedUsers(database.prisma, USERS);
}, 180_000);
afterAll(async () => {
  await database.dispose();
});

async function plan(sql: string): Promise<string> {
  const rows = await database.prisma.$queryRawUnsafe<Record<string, string>[]>(`EXPLAIN ${sql}`);
  return rows.map((row) => Object.values(row)[0]).join("\n");
}

/** Query speed is recorded by `npm run bench:admin`; here the plans are checked, which don't depend on the machine. */
describe(`the admin users page with ${USERS.toLocaleString("en")} users`, () => {
  it("searches through the trigram indexes instead of reading every row", async () => {
    const search = await plan(ADMIN_USER_QUERIES.search);
    expect(search).toContain("User_email_trgm_idx");
    expect(search).toContain("User_username_trgm_idx");
    expect(search).not.toMatch(/Seq Scan on "User"/);
    expect(await plan(ADMIN_USER_QUERIES.searchCount)).not.toMatch(/Seq Scan on "User"/);
  });

  it("pages and sorts through indexes", async () => {
    expect(await plan(ADMIN_USER_QUERIES.firstPage)).toContain("User_createdAt_idx");
    expect(await plan(ADMIN_USER_QUERIES.byUsername)).toContain("User_username_key");
  });

  it("returns the right rows: search, total, sort and the last page", async () => {
    const found = await listUsers({ query: "SEED_04242", sort: "created", order: "desc", page: 1, pageSize: 20 });
    expect(found.total).toBe(10);
    expect(found.users.map((user) => user.username)).toContain("seed_042420");
    const byName = await listUsers({ query: "", sort: "username", order: "asc", page: 1, pageSize: 3 });
    expect(byName.users.map((user) => user.username)).toEqual(["seed_000001", "seed_000002", "seed_000003"]);
    expect(byName.total).toBe(USERS);
    const last = await listUsers({ query: "", sort: "created", order: "desc", page: USERS / 50, pageSize: 50 });
    expect(last.users).toHaveLength(50);
  });
});
