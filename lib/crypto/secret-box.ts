import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import { env, type Env } from "@/lib/env";

/**
 * Secrets the server must read back (TOTP keys, later signing keys and queued mail) are stored sealed with
 * AES-256-GCM: `v1.<keyId>.<iv>.<ciphertext and tag>`, base64url. The key id says which key of the ring opens it,
 * so keys can rotate while old values stay readable; the purpose is authenticated data, so a value sealed for one
 * use can't be moved into another column and opened there.
 */
const VERSION = "v1";
const ALGORITHM = "aes-256-gcm";
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
// One info string per source of key material: configured keys and AUTH_SECRET never yield the same AES key, and
// neither is ever the bytes that sign cookies or access tokens.
const CONFIGURED_KEY_INFO = "latchkey secret box key v1";
const AUTH_SECRET_KEY_INFO = "latchkey secret box key from AUTH_SECRET v1";

export type SecretKey = { id: string; key: Buffer };
export type KeyRing = { sealing: SecretKey; opening: Map<string, SecretKey> };

/** Thrown for anything that doesn't open: wrong format, unknown key, or altered bytes. It never holds the value. */
export class SecretBoxError extends Error {
  override name = "SecretBoxError";
}

function deriveKey(material: Buffer | string, info: string): SecretKey {
  const key = Buffer.from(hkdfSync("sha256", material, "latchkey", info, KEY_BYTES));
  // 48 bits of a hash of the key: enough to tell a handful of keys apart, nothing about the key itself.
  const id = createHash("sha256").update("latchkey key id\0").update(key).digest("base64url").slice(0, 8);
  return { id, key };
}

/** The key AUTH_SECRET yields for sealing when no AUTH_ENCRYPTION_KEY is set. */
export function keyFromAuthSecret(secret: string): SecretKey {
  return deriveKey(secret, AUTH_SECRET_KEY_INFO);
}

/**
 * The first configured key seals; every configured key opens, and so does the one derived from AUTH_SECRET (so
 * values sealed before AUTH_ENCRYPTION_KEY was set stay readable until `npm run keys:reencrypt` moves them).
 */
export function keyRingFrom(settings: Pick<Env, "AUTH_ENCRYPTION_KEY" | "AUTH_SECRET">): KeyRing {
  const configured = settings.AUTH_ENCRYPTION_KEY.map((material) => deriveKey(material, CONFIGURED_KEY_INFO));
  const fromSecret = keyFromAuthSecret(settings.AUTH_SECRET);
  const opening = new Map<string, SecretKey>();
  for (const key of [...configured, fromSecret]) if (!opening.has(key.id)) opening.set(key.id, key);
  return { sealing: configured[0] ?? fromSecret, opening };
}

const rings = new WeakMap<Env, KeyRing>();

export function keyRing(): KeyRing {
  const settings = env();
  let ring = rings.get(settings);
  if (!ring) {
    ring = keyRingFrom(settings);
    rings.set(settings, ring);
  }
  return ring;
}

function additionalData(keyId: string, purpose: string): Buffer {
  if (!purpose) throw new SecretBoxError("A sealed secret needs a purpose");
  return Buffer.from(`${VERSION}.${keyId}.${purpose}`, "utf8");
}

/** Only the canonical encoding counts, so no two spellings of one value both open. */
function decodeBase64url(text: string): Buffer | null {
  const bytes = Buffer.from(text, "base64url");
  return bytes.toString("base64url") === text ? bytes : null;
}

export function sealSecret(plaintext: string, purpose: string, ring: KeyRing = keyRing()): string {
  const { id, key } = ring.sealing;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(id, purpose));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}.${id}.${iv.toString("base64url")}.${body.toString("base64url")}`;
}

/** Whether a stored value is in the sealed format (plain base32 and other legacy text never contain a dot). */
export function isSealed(value: string): boolean {
  return /^v\d+\./.test(value);
}

/** The id of the key a sealed value names, or null when it isn't one. */
export function sealedKeyId(value: string): string | null {
  const parts = value.split(".");
  return parts.length === 4 && parts[0] === VERSION ? parts[1] : null;
}

export function openSecret(sealed: string, purpose: string, ring: KeyRing = keyRing()): string {
  const parts = sealed.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretBoxError("Not a sealed secret of a known version");
  const [, keyId, ivText, bodyText] = parts;
  const key = ring.opening.get(keyId);
  if (!key) throw new SecretBoxError(`No configured key has the id ${keyId}`);
  const iv = decodeBase64url(ivText);
  const body = decodeBase64url(bodyText);
  if (!iv || iv.length !== IV_BYTES || !body || body.length < TAG_BYTES) throw new SecretBoxError("A sealed secret is malformed");
  const aad = additionalData(keyId, purpose);
  try {
    const decipher = createDecipheriv(ALGORITHM, key.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretBoxError("A sealed secret was altered, or sealed for another purpose");
  }
}
