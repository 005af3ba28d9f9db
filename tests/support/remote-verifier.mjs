// A stand-in for another service: it trusts Latchkey's access tokens by checking them against the published keys
// alone, with jose, and never asks Latchkey about a request. It prints its address, then one JSON answer per
// request: 200 with the token's subject and kid, or 401 with jose's error code.
import { createServer } from "node:http";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";

const latchkey = process.argv[2];
const metadata = await (await fetch(`${latchkey}/.well-known/oauth-authorization-server`)).json();
// jose waits 30 s before fetching the keys again for an unknown kid; `keys:rotate --now` (used by the test) gives
// no such head start, so this service looks again after one second.
const keys = createRemoteJWKSet(new URL(metadata.jwks_uri), { cooldownDuration: 1_000 });

const server = createServer(async (request, response) => {
  const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1] ?? "";
  try {
    const { payload } = await jwtVerify(token, keys, { issuer: metadata.issuer, audience: "latchkey-api", algorithms: ["EdDSA"] });
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ sub: payload.sub, kid: decodeProtectedHeader(token).kid }));
  } catch (error) {
    response.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: error.code ?? "invalid" }));
  }
});
server.listen(0, "127.0.0.1", () => console.log(`listening http://127.0.0.1:${server.address().port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
