import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

/**
 * bcrypt runs on dedicated worker threads instead of libuv's shared thread pool, so a sign-in flood never delays the
 * pool that WebCrypto, DNS and file reads need. Every core gets a hashing thread at normal priority, and one more
 * thread hashes at a lower priority on whatever CPU is idle. With every hashing thread niced, a read-heavy load
 * starved sign-ins until clients timed out (priority inversion: the person waiting pays). With one core's worth
 * fewer (leaving the event loop "a core of its own"), the event loop, V8's collector threads and the database's
 * backends still shared the cores with the one hashing thread: in the 200-client load test it hashed 7 CPU-seconds
 * a minute against the event loop's 19, and queued sign-ins waited past their clients' 30 s.
 */
const CORES = availableParallelism();
/**
 * setpriority(2) niceness per worker: at 10 a thread weighs a tenth of a normal one, so the event loop wins the CPU
 * as soon as it wakes. Idle workers are chosen lowest niceness first, so the niced one only takes overflow.
 */
export const WORKER_NICENESS: readonly number[] = [...Array<number>(CORES).fill(0), 10];
export const BCRYPT_WORKERS = WORKER_NICENESS.length;

// Evaluated as CommonJS in the worker, so the bundler never has to find a worker file; `bcrypt` resolves from the
// app's node_modules like any server-external package. On Linux each worker sets its own thread's priority, and
// its name, so that top -H and the load test can tell the hashing threads from the rest.
const workerSource = (slot: number) => `
const { parentPort } = require("node:worker_threads");
try {
  const fs = require("node:fs");
  const threadId = Number(fs.readlinkSync("/proc/thread-self").split("/").pop());
  require("node:os").setPriority(threadId, ${WORKER_NICENESS[slot]});
  fs.writeFileSync("/proc/thread-self/comm", "bcrypt-${slot}");
} catch {}
const bcrypt = require("bcrypt");
parentPort.on("message", ({ id, operation, data, saltOrHash }) => {
  try {
    const result = operation === "hash" ? bcrypt.hashSync(data, saltOrHash) : bcrypt.compareSync(data, saltOrHash);
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

/**
 * A hashing thread holds a few strings at a time, but each is a whole V8 isolate whose young generation alone
 * may grow to 32 MB: capped, the three of them stay small beside the main thread.
 */
const WORKER_HEAP_LIMITS = { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 24 };

type Job = { id: number; operation: "hash" | "compare"; data: string; saltOrHash: string | number };
type Pending = Job & { resolve: (value: never) => void; reject: (error: Error) => void };
type PoolWorker = { worker: Worker; busy: Pending | null };

/** One slot per entry of WORKER_NICENESS, spawned on first need and again after a worker exits. */
const holder = globalThis as typeof globalThis & {
  latchkeyHashingPool?: { slots: (PoolWorker | undefined)[]; queue: Pending[]; nextId: number };
};

function pool() {
  holder.latchkeyHashingPool ??= { slots: [], queue: [], nextId: 1 };
  return holder.latchkeyHashingPool;
}

function spawnWorker(slot: number): PoolWorker {
  const entry: PoolWorker = { worker: new Worker(workerSource(slot), { eval: true, resourceLimits: WORKER_HEAP_LIMITS }), busy: null };
  entry.worker.on("message", (message: { id: number; result?: unknown; error?: string }) => {
    const job = entry.busy;
    entry.busy = null;
    if (job?.id === message.id) {
      if (message.error === undefined) job.resolve(message.result as never);
      else job.reject(new Error(`bcrypt: ${message.error}`));
    }
    dispatch();
    if (!entry.busy) entry.worker.unref();
  });
  entry.worker.on("error", (error) => {
    entry.busy?.reject(error);
    entry.busy = null;
  });
  entry.worker.on("exit", () => {
    entry.busy?.reject(new Error("bcrypt worker exited"));
    const { slots } = pool();
    if (slots[slot] === entry) slots[slot] = undefined;
    dispatch();
  });
  // A worker keeps the process alive only while it hashes, so an idle pool never holds a script open. (After the
  // listeners: adding a "message" listener refs the worker again.)
  entry.worker.unref();
  return entry;
}

function dispatch(): void {
  const state = pool();
  while (state.queue.length) {
    // Slots are ordered by priority: the first free one, spawning it if needed, so the niced worker takes overflow only.
    const slot = WORKER_NICENESS.findIndex((_, index) => !state.slots[index]?.busy);
    if (slot < 0) return;
    const idle = (state.slots[slot] ??= spawnWorker(slot));
    const job = state.queue.shift()!;
    idle.busy = job;
    idle.worker.ref();
    idle.worker.postMessage({ id: job.id, operation: job.operation, data: job.data, saltOrHash: job.saltOrHash });
  }
}

function run<T>(operation: Job["operation"], data: string, saltOrHash: string | number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const state = pool();
    state.queue.push({ id: state.nextId++, operation, data, saltOrHash, resolve: resolve as (value: never) => void, reject });
    dispatch();
  });
}

export const bcryptHash = (data: string, cost: number) => run<string>("hash", data, cost);
export const bcryptCompare = (data: string, hash: string) => run<boolean>("compare", data, hash);
