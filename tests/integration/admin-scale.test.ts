import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listUsers } from "@/lib/services/admin";
import type { ListUsersQuery } from "@/lib/validations/admin";
import { seedUsers } from "../../scripts/lib/seed-users";
import { freshDatabase, queriesDuring, type TestDatabase } from "../support/database";

const USERS = 100_000;

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
  await seedUsers(database.prisma, USERS);
}, 180_000);
afterAll(async () => {
  await database.dispose();
});

/** The plans of the SQL `listUsers` really sends (the page and the count), with the values it sends. */
async function plansOf(query: ListUsersQuery): Promise<string[]> {
  const { queries } = await queriesDuring(database, () => listUsers(query));
  const selects = queries.filter(({ text }) => /^\s*SELECT/i.test(text));
  expect(selects).toHaveLength(2);
  return Promise.all(
    selects.map(async ({ text, values }) => {
      const rows = await database.preparedQuery<Record<string, string>>({ name: "", text: `EXPLAIN ${text}` }, values);
      return rows.map((row) => Object.values(row)[0]).join("\n");
    }),
  );
}

const PAGE = { query: "", sort: "created", order: "desc", page: 1, pageSize: 20 } as const;

/** Query speed is recorded by `npm run bench:admin`; here the plans are checked, which don't depend on the machine. */
describe(`the admin users page with ${USERS.toLocaleString("en")} users`, () => {
  it("searches through the trigram indexes instead of reading every row", async () => {
    const [search, count] = await plansOf({ ...PAGE, query: "ED_04242" });
    expect(`${search}\n${count}`).toContain("User_email_trgm_idx");
    expect(`${search}\n${count}`).toContain("User_username_trgm_idx");
    expect(search).not.toMatch(/Seq Scan on "User"/);
    expect(count).not.toMatch(/Seq Scan on "User"/);
  });

  it("pages and sorts through indexes", async () => {
    const [firstPage] = await plansOf(PAGE);
    const [byUsername] = await plansOf({ ...PAGE, sort: "username", order: "asc" });
    const [byUsernameDesc] = await plansOf({ ...PAGE, sort: "username", order: "desc" });
    expect(firstPage).toContain("User_createdAt_idx");
    expect(byUsername).toContain("User_username_key");
    expect(byUsernameDesc).toContain("User_username_key");
    for (const plan of [firstPage, byUsername, byUsernameDesc]) expect(plan).not.toMatch(/Seq Scan on "User"/);
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
