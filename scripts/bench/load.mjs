// One autocannon run in its own process, so that the load generator never shares an event loop with what it
// measures. Reads a JSON job from argv[2], prints one JSON result line.
import autocannon from "autocannon";

const job = JSON.parse(process.argv[2]);
let nextAccount = 0;
let nextSignup = 0;
const json = { "content-type": "application/json" };

const requests =
  job.kind === "signup"
    ? [
        {
          method: "POST",
          path: "/api/v1/auth/signup",
          headers: json,
          setupRequest(request) {
            const username = `${job.accountPrefix}${process.pid}_${nextSignup++}`;
            return { ...request, body: JSON.stringify({ username, email: `${username}@bench.example`, password: job.password }) };
          },
        },
      ]
    : job.kind === "login"
    ? [
        {
          method: "POST",
          path: "/api/v1/auth/token",
          headers: { "content-type": "application/json" },
          // Accounts in turn, so that no account sees two sign-ins at once (none ever backs off).
          setupRequest(request) {
            const identifier = `${job.accountPrefix}${nextAccount++ % job.accounts}`;
            return { ...request, body: JSON.stringify({ identifier, password: job.password }) };
          },
        },
      ]
    : job.kind === "post"
      ? [{ method: "POST", path: job.path, headers: { "content-type": "application/json", ...job.headers }, body: job.body }]
      : // `paths`: GETs in turn, each a path or {path, headers}.
        (job.paths ?? [job.path]).map((entry) =>
          typeof entry === "string" ? { method: "GET", path: entry, headers: job.headers ?? {} } : { method: "GET", headers: {}, ...entry },
        );

const latencies = [];
// Each connection's first answer apart: libuv accepts one connection per turn of the event loop (libuv#3696), so when
// all the clients connect at once to a busy server, the last ones wait a turn per connection ahead of them.
const firstAnswerLatencies = [];
const laterLatencies = [];
const answeredClients = new WeakSet();
const instance = autocannon({
  url: job.url,
  connections: job.connections,
  duration: job.seconds,
  overallRate: job.rate,
  timeout: job.timeoutSeconds ?? 60,
  requests,
});
instance.on("response", (client, statusCode, _bytes, milliseconds) => {
  if (statusCode >= 300) return;
  latencies.push(milliseconds);
  if (answeredClients.has(client)) {
    laterLatencies.push(milliseconds);
  } else {
    answeredClients.add(client);
    firstAnswerLatencies.push(milliseconds);
  }
});
const result = await instance;
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] * 10) / 10 : null;
};
console.log(
  JSON.stringify({
    ok: result["2xx"],
    perSecond: result["2xx"] / (result.duration || job.seconds),
    requestsPerSecond: result.requests.total / (result.duration || job.seconds),
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count])),
    errors: result.errors,
    timeouts: result.timeouts,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    // Every answer but each connection's first, and the slowest first answer.
    laterP99Ms: percentile(laterLatencies, 99),
    firstAnswerMaxMs: percentile(firstAnswerLatencies, 100),
    seconds: result.duration || job.seconds,
  }),
);
