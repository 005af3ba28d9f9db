// Loaded into a server under test with NODE_OPTIONS=--import (never part of the app): on SIGUSR2 it collects all
// garbage and writes how much heap is still in use to HEAP_PROBE_FILE. The load test uses it to tell memory that is
// held (a leak) from garbage V8 simply hasn't collected yet, which RSS can't.
import { writeFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc");

process.on("SIGUSR2", () => {
  collectGarbage();
  const { heapUsed, external, rss } = process.memoryUsage();
  writeFileSync(process.env.HEAP_PROBE_FILE, JSON.stringify({ heapUsed, external, rss, at: Date.now() }));
});
