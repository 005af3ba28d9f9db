import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as token } from "@/app/api/v1/auth/token/route";
import { freshDatabase, type TestDatabase } from "../support/database";
import { PASSWORD, createUsersDirectly, noContext, peerHeaders, request, uniqueName } from "../support/http";

let database: TestDatabase;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => {
  await database.dispose();
});

const ROUNDS = 25;
/** OWASP ASVS 6.3.8 asks for "similar" times; the issue sets the bar at a 25 ms difference of medians. */
const MAX_MEDIAN_GAP_MS = 25;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function timedLogin(identifier: string, password: string) {
  const started = performance.now();
  const response = await token(
    request("/api/v1/auth/token", { method: "POST", headers: peerHeaders("192.0.2.77"), json: { identifier, password } }),
    noContext,
  );
  const elapsed = performance.now() - started;
  const headers = Object.fromEntries([...response.headers].filter(([name]) => name !== "date"));
  return { elapsed, status: response.status, body: await response.text(), headers };
}

describe("enumeration resistance", () => {
  it("unknown account, wrong password and locked account: same status, body, headers, and similar time", async () => {
    const [known, locked] = await createUsersDirectly(2, "timing");
    await database.prisma.user.update({ where: { id: locked.id }, data: { lockedAt: new Date() } });
    const cases = {
      unknown: () => timedLogin(uniqueName("nobody").email, PASSWORD),
      wrongPassword: () => timedLogin(known.username, "not the right password at all"),
      locked: () => timedLogin(locked.username, PASSWORD),
    };
    const names = Object.keys(cases) as (keyof typeof cases)[];
    const times: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
    const answers = new Set<string>();
    // Warm-up, so that the first compile and connection don't land in one bucket.
    await cases.unknown();
    for (let round = 0; round < ROUNDS; round += 1) {
      // Rotating the order spreads any drift of this shared machine evenly over the three.
      for (const offset of names.keys()) {
        const name = names[(round + offset) % names.length];
        // Back-off would answer 429 after five failures; this test is about the 401 path.
        await database.prisma.loginThrottle.deleteMany();
        const result = await cases[name]();
        times[name].push(result.elapsed);
        answers.add(JSON.stringify({ status: result.status, body: result.body, headers: result.headers }));
      }
    }
    expect(answers.size).toBe(1);
    const [answer] = answers;
    expect(JSON.parse(answer)).toMatchObject({ status: 401, headers: expect.not.objectContaining({ "set-cookie": expect.anything() }) });

    const medians = Object.fromEntries(names.map((name) => [name, median(times[name])]));
    const gap = Math.max(...Object.values(medians)) - Math.min(...Object.values(medians));
    console.log(
      `login timing medians over ${ROUNDS} each: ${names.map((name) => `${name} ${medians[name].toFixed(1)} ms`).join(", ")}; gap ${gap.toFixed(1)} ms`,
    );
    expect(gap).toBeLessThan(MAX_MEDIAN_GAP_MS);
  });
});
