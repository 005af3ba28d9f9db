import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServerDatabase } from "../support/database";
import { postJson, startProductionServer, uniqueAccount, type RunningServer } from "../support/servers";

const PORT = 3312;
const PASSWORD = "correct horse battery staple again";
// keys:rotate must reach the database the server uses while it runs: PGlite allows one process per folder.
const enabled = Boolean(process.env.TEST_DATABASE_URL);

/**
 * Issue 14's story end to end: another service, in its own process, verifies Latchkey's access tokens with jose's
 * remote JWKS and the published metadata, calls Latchkey only for the keys, and follows a key rotation.
 */
describe.skipIf(!enabled)("another service verifying access tokens on its own", () => {
  let database: Awaited<ReturnType<typeof createServerDatabase>>;
  let latchkey: RunningServer;
  let verifier: ChildProcess;
  let verifierUrl: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createServerDatabase();
    env = { DATABASE_URL: database.url, AUTH_SECRET: "remote-verification-secret-long-enough", AUTH_URL: `http://127.0.0.1:${PORT}` };
    latchkey = await startProductionServer(PORT, env);
    verifier = spawn("node", ["tests/support/remote-verifier.mjs", latchkey.url], { stdio: ["ignore", "pipe", "inherit"] });
    const [first] = (await once(verifier.stdout!, "data")) as [Buffer];
    verifierUrl = /listening (\S+)/.exec(String(first))![1];
  });

  afterAll(async () => {
    verifier?.kill("SIGTERM");
    await latchkey?.stop();
    await database?.drop();
  });

  const newToken = async (identifier: string) => {
    const response = await postJson(latchkey, "/api/v1/auth/token", { identifier, password: PASSWORD });
    expect(response.status).toBe(200);
    return ((await response.json()) as { access_token: string }).access_token;
  };
  const verify = (token: string) => fetch(verifierUrl, { headers: { authorization: `Bearer ${token}` } });
  const jwksFetches = () => latchkey.output().split("\n").filter((line) => line.includes('"path":"/.well-known/jwks.json"')).length;

  it("publishes the keys and metadata without authentication, cacheable", async () => {
    const jwks = await fetch(`${latchkey.url}/.well-known/jwks.json`);
    expect(jwks.status).toBe(200);
    expect(jwks.headers.get("cache-control")).toBe("public, max-age=300");
    expect((await jwks.json()).keys).toEqual([expect.objectContaining({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" })]);
    const metadata = await fetch(`${latchkey.url}/.well-known/oauth-authorization-server`);
    expect(metadata.status).toBe(200);
    expect(await metadata.json()).toMatchObject({ issuer: latchkey.url, jwks_uri: `${latchkey.url}/.well-known/jwks.json` });
  });

  it("verifies tokens with one fetch of the keys, refuses forgeries, and follows keys:rotate", async () => {
    const account = uniqueAccount("remote", PASSWORD);
    expect((await postJson(latchkey, "/api/v1/auth/signup", account)).status).toBe(201);
    const before = jwksFetches();
    const token = await newToken(account.username);
    const oldKid = decodeProtectedHeader(token).kid;
    for (let index = 0; index < 5; index += 1) {
      const answer = await verify(token);
      expect(answer.status).toBe(200);
      expect(await answer.json()).toMatchObject({ kid: oldKid });
    }
    const [header, payload, signature] = token.split(".");
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), sub: "someone-else" })).toString("base64url")}.${signature}`;
    expect((await verify(tampered)).status).toBe(401);
    expect(jwksFetches() - before).toBe(1);

    const rotation = spawnSync("npx", ["tsx", "scripts/keys-rotate.ts", "--now"], { env: { ...process.env, ...env }, encoding: "utf8" });
    expect(rotation.status, rotation.stderr).toBe(0);
    const newKid = /New access token signing key (\S+):/.exec(rotation.stdout)![1];
    expect(newKid).not.toBe(oldKid);
    // The running server signs with it once it has re-read the keys (every 10 seconds).
    let rotated = "";
    await expect.poll(async () => decodeProtectedHeader((rotated = await newToken(account.username))).kid, { timeout: 20_000, interval: 1_000 }).toBe(newKid);
    await expect.poll(async () => (await verify(rotated)).status, { timeout: 10_000, interval: 500 }).toBe(200);
    expect((await verify(token)).status).toBe(200);
    expect((await verify(await newToken(account.username))).status).toBe(200);
  }, 60_000);
});
