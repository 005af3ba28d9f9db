import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { database, db, type Database } from "@/lib/db/client";
import { openSecret, sealSecret } from "./secret-box";

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
/** The authenticated-data label of sealed signing keys: no other sealed value opens as one. */
export const SIGNING_KEY_PURPOSE = "access-token-signing-key";
/** How long caches may keep `/.well-known/jwks.json`. */
export const JWKS_MAX_AGE_SECONDS = 5 * 60;
/** Each instance re-reads the keys this often: a rotated key signs everywhere within this plus the delay below. */
export const KEY_SET_MAX_AGE_MS = 10_000;
/** A token naming a key this instance doesn't know re-reads the keys only when they are older than this. */
export const UNKNOWN_KID_REFRESH_MS = 5_000;
/**
 * A new key signs only once it is this old, so a JWKS anyone fetched before the rotation (and may cache for
 * JWKS_MAX_AGE_SECONDS) has expired before a token names the new key. Any instance that meets its kid then either
 * read the keys after the key was stored (and knows it) or longer ago than UNKNOWN_KID_REFRESH_MS, and so reads them
 * again: a rotation never makes a valid token fail, and an unknown kid costs at most one query per instance per
 * 5 seconds.
 */
export const KEY_ACTIVATION_DELAY_MS = Math.max(JWKS_MAX_AGE_SECONDS * 1000, UNKNOWN_KID_REFRESH_MS + 1_000);
/**
 * How long a key stays in the JWKS after a newer one replaced it: it goes on signing until the newer one is
 * active, its last token expires within the token lifetime after that, and five minutes more cover clocks that
 * differ.
 */
export const RETIRED_KEY_PUBLISHED_MS = KEY_ACTIVATION_DELAY_MS + (ACCESS_TOKEN_TTL_SECONDS + 5 * 60) * 1000;
/** RFC 7638 thumbprints: 32 bytes of SHA-256 in base64url. Anything else is refused without a look. */
export const KID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export type PublicJwk = { kty: "OKP"; crv: "Ed25519"; x: string; kid: string; alg: "EdDSA"; use: "sig" };
type StoredKey = { kid: string; generation: number; publicKey: string; privateKey: string; createdAt: Date; retiredAt: Date | null };
type LoadedKey = StoredKey & { verifier: KeyObject };
/** `keys` newest first; `loadedAt` is when the read started, so a key stored during it counts as unknown. */
type KeySet = { keys: LoadedKey[]; byKid: Map<string, LoadedKey>; loadedAt: number };
type KeyState = { set?: KeySet; loading?: Promise<KeySet>; signers: Map<string, KeyObject> };

// One cache per database, so tests that switch databases never see another one's keys.
const states = new WeakMap<Database, KeyState>();

function state(): KeyState {
  const current = database();
  let found = states.get(current);
  if (!found) {
    found = { signers: new Map() };
    states.set(current, found);
  }
  return found;
}

export function sealSigningKey(pkcs8: string): string {
  return sealSecret(pkcs8, SIGNING_KEY_PURPOSE);
}

export function openSigningKey(sealed: string): string {
  return openSecret(sealed, SIGNING_KEY_PURPOSE);
}

export function thumbprint(x: string): string {
  // RFC 7638: the required members in lexicographic order, no whitespace.
  return createHash("sha256").update(JSON.stringify({ crv: "Ed25519", kty: "OKP", x })).digest("base64url");
}

function newKeyRow(generation: number, createdAt: Date): StoredKey {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const { x } = publicKey.export({ format: "jwk" });
  const pkcs8 = privateKey.export({ format: "der", type: "pkcs8" }).toString("base64url");
  return { kid: thumbprint(x!), generation, publicKey: x!, privateKey: sealSigningKey(pkcs8), createdAt, retiredAt: null };
}

function publishedSince(now: number): Date {
  return new Date(now - RETIRED_KEY_PUBLISHED_MS);
}

async function loadKeys(target: KeyState): Promise<KeySet> {
  const loadedAt = Date.now();
  const rows = await db().signingKey.findMany({
    where: { OR: [{ retiredAt: null }, { retiredAt: { gt: publishedSince(loadedAt) } }] },
    orderBy: { generation: "desc" },
  });
  const keys = rows.map((row) => ({ ...row, verifier: createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: row.publicKey }, format: "jwk" }) }));
  target.set = { keys, byKid: new Map(keys.map((key) => [key.kid, key])), loadedAt };
  return target.set;
}

/** One read at a time per instance: callers arriving while it runs share its answer. */
function readKeys(target: KeyState): Promise<KeySet> {
  if (!target.loading) {
    const loading = loadKeys(target);
    target.loading = loading;
    const done = () => {
      if (target.loading === loading) target.loading = undefined;
    };
    loading.then(done, done);
  }
  return target.loading;
}

/**
 * The keys as this instance last read them, read again when older than KEY_SET_MAX_AGE_MS. When the database
 * can't be reached, the keys already known keep working (tried again a second later); with none known, it throws.
 */
async function currentKeys(target: KeyState = state()): Promise<KeySet> {
  const known = target.set;
  if (known && Date.now() - known.loadedAt < KEY_SET_MAX_AGE_MS) return known;
  try {
    return await readKeys(target);
  } catch (error) {
    if (!known) throw error;
    target.set = { ...known, loadedAt: Date.now() - KEY_SET_MAX_AGE_MS + 1_000 };
    return target.set;
  }
}

/**
 * The first key, made by whichever instance gets there first: every instance inserts generation 1 and skips the
 * insert when it exists, then all read back the one that won.
 */
async function createFirstKey(): Promise<void> {
  await db().signingKey.createMany({ data: [newKeyRow(1, new Date())], skipDuplicates: true });
}

/** Made at server start, so no instance ever answers with no key known. */
export async function ensureSigningKey(): Promise<void> {
  const target = state();
  if ((await currentKeys(target)).keys.length) return;
  await createFirstKey();
  await readKeys(target);
}

/** The key to sign with: the newest one old enough (see KEY_ACTIVATION_DELAY_MS), else the oldest published. */
export async function activeSigningKey(): Promise<{ kid: string; privateKey: KeyObject }> {
  const target = state();
  let set = await currentKeys(target);
  if (!set.keys.length) {
    await createFirstKey();
    set = await readKeys(target);
  }
  const ready = Date.now() - KEY_ACTIVATION_DELAY_MS;
  const chosen = set.keys.find((key) => key.createdAt.getTime() <= ready) ?? set.keys[set.keys.length - 1];
  let privateKey = target.signers.get(chosen.kid);
  if (!privateKey) {
    privateKey = createPrivateKey({ key: Buffer.from(openSigningKey(chosen.privateKey), "base64url"), format: "der", type: "pkcs8" });
    target.signers.set(chosen.kid, privateKey);
  }
  return { kid: chosen.kid, privateKey };
}

/** The public key a token names, or null. An unknown kid re-reads the keys only when they are 5 seconds old. */
export async function publishedKey(kid: string): Promise<KeyObject | null> {
  if (!KID_PATTERN.test(kid)) return null;
  const target = state();
  const set = await currentKeys(target);
  const known = set.byKid.get(kid);
  if (known) return known.verifier;
  if (Date.now() - set.loadedAt < UNKNOWN_KID_REFRESH_MS) return null;
  try {
    return (await readKeys(target)).byKid.get(kid)?.verifier ?? null;
  } catch {
    return null;
  }
}

/** What `/.well-known/jwks.json` lists: the active key and those retired too recently for their tokens to have expired. */
export async function publishedJwks(): Promise<PublicJwk[]> {
  const { keys } = await currentKeys();
  return keys.map(({ kid, publicKey }) => ({ kty: "OKP", crv: "Ed25519", x: publicKey, kid, alg: "EdDSA", use: "sig" }));
}

export type RotationReport = { kid: string; retired: string[]; removed: number };

/**
 * `npm run keys:rotate`: a new key that every instance signs with once it has been published for
 * KEY_ACTIVATION_DELAY_MS; the previous ones are retired (still published until their tokens have expired) and keys
 * retired before that are deleted. Two rotations at once: the unique generation lets one win and the other fail.
 * `immediately` skips the delay: tokens under the new key may then be refused for a few seconds by instances, and
 * for up to JWKS_MAX_AGE_SECONDS by verifiers behind a cache, that haven't read it yet. The old keys stay published.
 */
export async function rotateSigningKey({ immediately = false } = {}): Promise<RotationReport> {
  const now = new Date();
  const report = await db().$transaction(async (tx) => {
    const newest = await tx.signingKey.findFirst({ orderBy: { generation: "desc" }, select: { generation: true } });
    const row = newKeyRow((newest?.generation ?? 0) + 1, immediately ? new Date(now.getTime() - KEY_ACTIVATION_DELAY_MS) : now);
    await tx.signingKey.create({ data: row });
    const { count: removed } = await tx.signingKey.deleteMany({ where: { retiredAt: { lte: publishedSince(now.getTime()) } } });
    const retiring = await tx.signingKey.findMany({ where: { retiredAt: null, generation: { lt: row.generation } }, select: { kid: true } });
    await tx.signingKey.updateMany({ where: { kid: { in: retiring.map(({ kid }) => kid) } }, data: { retiredAt: now } });
    return { kid: row.kid, retired: retiring.map(({ kid }) => kid), removed };
  });
  // This instance learns of it on its next read anyway; reading now only spares it the wait.
  const target = states.get(database());
  if (target) await readKeys(target);
  return report;
}

/** Drops what this process has read about the keys, as a fresh instance would start (tests use it). */
export function forgetLoadedKeys(): void {
  states.delete(database());
}
