import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BCRYPT_WORKERS, WORKER_NICENESS, bcryptCompare, bcryptHash } from "./bcrypt-pool";

/** The nice value of every thread of this process (field 19 of /proc/self/task/<tid>/stat). */
function threadNiceness(): Map<number, number> {
  const niceness = new Map<number, number>();
  for (const tid of readdirSync("/proc/self/task")) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    niceness.set(Number(tid), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]));
  }
  return niceness;
}

describe("bcrypt worker pool", () => {
  it("hashes and compares, more jobs than workers at once, each answer its own", async () => {
    const hash = await bcryptHash("secret", 4);
    const checks = await Promise.all(Array.from({ length: BCRYPT_WORKERS * 3 }, (_, i) => bcryptCompare(i % 2 ? "secret" : "other", hash)));
    expect(checks).toEqual(Array.from({ length: BCRYPT_WORKERS * 3 }, (_, i) => i % 2 === 1));
  });

  it("rejects a malformed hash instead of hanging the queue", async () => {
    await expect(bcryptHash("secret", "not-a-cost" as unknown as number)).rejects.toThrow(/bcrypt/);
    expect(await bcryptCompare("secret", await bcryptHash("secret", 4))).toBe(true);
  });

  it("keeps a script alive while it hashes, and not a moment longer", () => {
    const script = path.join(mkdtempSync(path.join(tmpdir(), "latchkey-pool-")), "hash.mts");
    const pool = path.resolve("lib/auth/bcrypt-pool.ts");
    writeFileSync(script, `import { bcryptHash } from ${JSON.stringify(pool)};\nconsole.log((await bcryptHash("secret", 4)).slice(0, 7));\n`);
    const run = spawnSync("npx", ["tsx", script], { encoding: "utf8", timeout: 30_000 });
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe("$2b$04$");
  });

  it("hashes on all but one core at normal priority, plus one thread that only takes idle CPU", () => {
    const cores = availableParallelism();
    expect(WORKER_NICENESS.filter((value) => value === 0)).toHaveLength(Math.max(1, cores - 1));
    expect(WORKER_NICENESS.filter((value) => value > 0)).toEqual([10]);
    expect(WORKER_NICENESS.at(-1)).toBe(10);
  });

  it.runIf(process.platform === "linux")("lowers the priority of the overflow hashing thread, and only that", async () => {
    await Promise.all(Array.from({ length: BCRYPT_WORKERS * 2 }, () => bcryptHash("secret", 4)));
    const niceness = threadNiceness();
    expect(niceness.get(process.pid)).toBe(0);
    expect([...niceness.values()].filter((value) => value !== 0)).toEqual([10]);
  });
});
