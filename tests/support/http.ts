import { hashPassword } from "@/lib/crypto/password";
import { db } from "@/lib/db/client";
import { resetEnvCache } from "@/lib/env";
import { PEER_ADDRESS_HEADER, PEER_PROOF_HEADER, type RequestContext } from "@/lib/security/request-context";
import { installPeerSecret } from "@/lib/security/peer-proof.mjs";
import { createOrPromoteAdmin } from "@/lib/services/admin";
import { signUp } from "@/lib/services/accounts";
import { issueTokenForCredentials } from "@/lib/services/tokens";

export const ORIGIN = "http://localhost:3000";
export const PASSWORD = "correct horse battery staple again";
/** The socket address our server would put in the peer header; tests pick others to play other clients. */
export const TEST_ADDRESS = "192.0.2.10";
export const TEST_CONTEXT: RequestContext = { ip: TEST_ADDRESS, clientKey: TEST_ADDRESS, userAgent: "vitest" };

// What server.mjs does in the running app: the tests play our server and vouch for the peer header.
const peerSecret = installPeerSecret();
/** Headers saying "the socket peer is `address`", as our server writes them. */
export function peerHeaders(address: string): Record<string, string> {
  return { [PEER_ADDRESS_HEADER]: address, [PEER_PROOF_HEADER]: peerSecret };
}

type Init = { method?: string; headers?: Record<string, string>; json?: unknown; body?: BodyInit; token?: string };

export function request(path: string, { method = "GET", headers = {}, json, body, token }: Init = {}): Request {
  const allHeaders: Record<string, string> = { ...peerHeaders(TEST_ADDRESS), ...headers };
  if (json !== undefined) allHeaders["content-type"] ??= "application/json";
  if (token) allHeaders.authorization = `Bearer ${token}`;
  return new Request(`${ORIGIN}${path}`, {
    method,
    headers: allHeaders,
    body: json !== undefined ? JSON.stringify(json) : body,
    duplex: "half",
  } as RequestInit);
}

export const noContext = { params: Promise.resolve({}) } as never;

export function idContext(id: string) {
  return { params: Promise.resolve({ id }) };
}

let counter = 0;

export function uniqueName(prefix = "user"): { username: string; email: string } {
  counter += 1;
  const suffix = `${process.pid}${counter}${Math.random().toString(36).slice(2, 6)}`;
  return { username: `${prefix}_${suffix}`, email: `${prefix}.${suffix}@example.com` };
}

export async function createUserWithToken(prefix = "user") {
  const names = uniqueName(prefix);
  const result = await signUp({ ...names, password: PASSWORD }, TEST_CONTEXT);
  if (result.status !== "created") throw new Error("signup did not create the user");
  const { user } = result;
  const { access_token, refresh_token } = await issueTokenForCredentials(names.username, PASSWORD, TEST_CONTEXT);
  return { user, token: access_token, refreshToken: refresh_token, password: PASSWORD };
}

export async function createAdminWithToken(prefix = "admin") {
  const names = uniqueName(prefix);
  const { user } = await createOrPromoteAdmin({ ...names, password: PASSWORD });
  const { access_token } = await issueTokenForCredentials(names.username, PASSWORD, TEST_CONTEXT);
  return { user, token: access_token };
}

/** Error bodies must never carry internals: stack frames, SQL, Prisma codes or file paths. */
export function leaksInternals(text: string): boolean {
  return /\bat .+:\d+:\d+|SELECT |INSERT |Prisma|P20\d\d|\/work\/|node_modules|\.ts\b/.test(text);
}

let sharedHash: Promise<string> | undefined;

/** Many accounts with PASSWORD at once: one bcrypt hash shared by all, written straight to the database. */
export async function createUsersDirectly(count: number, prefix = "bulk"): Promise<{ id: string; username: string }[]> {
  sharedHash ??= hashPassword(PASSWORD);
  const passwordHash = await sharedHash;
  const rows = Array.from({ length: count }, () => ({ ...uniqueName(prefix), passwordHash }));
  await db().user.createMany({ data: rows });
  return db().user.findMany({ where: { username: { in: rows.map((row) => row.username) } }, select: { id: true, username: true } });
}

/** Applies configuration for the rest of a test file (the app reads its environment once, then caches it). */
export function setEnv(values: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetEnvCache();
}
