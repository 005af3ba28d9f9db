import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

/**
 * bcrypt runs on dedicated worker threads at a lower CPU priority instead of libuv's shared thread pool.
 * A sign-in flood then hardly delays the event loop (which answers every other request) and never the pool that
 * WebCrypto, DNS and file reads need, while idle cores still go to hashing.
 */
export const BCRYPT_WORKERS = Math.max(2, availableParallelism());
/**
 * setpriority(2) niceness: at 10 a thread weighs a tenth of a normal one, so the event loop wins the CPU as soon
 * as it wakes; at 19 (a 70th) sign-ins starved whenever other work filled the CPU.
 */
const HASHING_NICENESS = 10;

// Evaluated as CommonJS in the worker, so the bundler never has to find a worker file; `bcrypt` resolves from the
// app's node_modules like any server-external package. On Linux each worker lowers its own thread's priority.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
try {
  const threadId = Number(require("node:fs").readlinkSync("/proc/thread-self").split("/").pop());
  require("node:os").setPriority(threadId, ${HASHING_NICENESS});
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

type Job = { id: number; operation: "hash" | "compare"; data: string; saltOrHash: string | number };
type Pending = Job & { resolve: (value: never) => void; reject: (error: Error) => void };
type PoolWorker = { worker: Worker; busy: Pending | null };

const holder = globalThis as typeof globalThis & { latchkeyBcryptPool?: { workers: PoolWorker[]; queue: Pending[]; nextId: number } };

function pool() {
  holder.latchkeyBcryptPool ??= { workers: [], queue: [], nextId: 1 };
  return holder.latchkeyBcryptPool;
}

function spawnWorker(): PoolWorker {
  const entry: PoolWorker = { worker: new Worker(WORKER_SOURCE, { eval: true }), busy: null };
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
    const { workers } = pool();
    workers.splice(workers.indexOf(entry), 1);
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
    let idle = state.workers.find((entry) => !entry.busy);
    if (!idle && state.workers.length < BCRYPT_WORKERS) {
      idle = spawnWorker();
      state.workers.push(idle);
    }
    if (!idle) return;
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
