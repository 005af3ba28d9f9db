// The floor for sign-in throughput: bcrypt.compare alone, in a plain Node process, at the app's cost and the
// load's concurrency. Reads {cost, concurrency, seconds} from argv[2], prints {perSecond}.
import bcrypt from "bcrypt";

const { cost, concurrency, seconds } = JSON.parse(process.argv[2]);
const secret = "a 64-character stand-in for the app's HMAC prehash of the password";
const hash = await bcrypt.hash(secret, cost);
await bcrypt.compare(secret, hash);

let completed = 0;
const deadline = Date.now() + seconds * 1000;
const started = Date.now();
async function worker() {
  while (Date.now() < deadline) {
    if (!(await bcrypt.compare(secret, hash))) throw new Error("bcrypt.compare disagreed with bcrypt.hash");
    completed += 1;
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
console.log(JSON.stringify({ perSecond: completed / ((Date.now() - started) / 1000) }));
