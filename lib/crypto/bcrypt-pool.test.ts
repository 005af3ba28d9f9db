import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BCRYPT_WORKERS, WORKER_NICENESS, bcryptCompare, bcryptHash } from "./bcrypt-pool";

/** The nice value of every thread of this process (field 19 of /proc/self/task/<tid>/stat), and its name. */
function threadNiceness(): Map<number, { name: string; niceness: number }> {
  const threads = new Map<number, { name: string; niceness: number }>();
  for (const tid of readdirSync("/proc/self/task")) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    threads.set(Number(tid), { name, niceness: Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]) });
  }
  return threads;
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

  // Starting tsx takes seconds on a busy machine: the bound is the spawn's own timeout, not vitest's 5 s default.
  it("keeps a script alive while it hashes, and not a moment longer", { timeout: 40_000 }, () => {
    const script = path.join(mkdtempSync(path.join(tmpdir(), "latchkey-pool-")), "hash.mts");
    const pool = path.resolve("lib/crypto/bcrypt-pool.ts");
    writeFileSync(script, `import { bcryptHash } from ${JSON.stringify(pool)};\nconsole.log((await bcryptHash("secret", 4)).slice(0, 7));\n`);
    const run = spawnSync("npx", ["tsx", script], { encoding: "utf8", timeout: 30_000 });
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe("$2b$04$");
  });

  it("hashes on every core at normal priority, plus one thread that only takes idle CPU", () => {
    const cores = availableParallelism();
    expect(WORKER_NICENESS.filter((value) => value === 0)).toHaveLength(cores);
    expect(WORKER_NICENESS.filter((value) => value > 0)).toEqual([10]);
    expect(WORKER_NICENESS.at(-1)).toBe(10);
  });

  it.runIf(process.platform === "linux")("lowers the priority of the overflow hashing thread, and only that; names each hashing thread", async () => {
    await Promise.all(Array.from({ length: BCRYPT_WORKERS * 2 }, () => bcryptHash("secret", 4)));
    const threads = [...threadNiceness().entries()];
    expect(threads.find(([tid]) => tid === process.pid)?.[1].niceness).toBe(0);
    expect(threads.filter(([, thread]) => thread.niceness !== 0).map(([, thread]) => thread)).toEqual([{ name: `bcrypt-${BCRYPT_WORKERS - 1}`, niceness: 10 }]);
    const hashing = threads.filter(([, thread]) => thread.name.startsWith("bcrypt-")).map(([, thread]) => thread);
    expect(hashing.sort((a, b) => a.name.localeCompare(b.name))).toEqual(WORKER_NICENESS.map((niceness, slot) => ({ name: `bcrypt-${slot}`, niceness })));
  });
});
