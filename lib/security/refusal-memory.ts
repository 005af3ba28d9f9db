import { database, type Database } from "@/lib/db/client";

/** Keys remembered at once; past this the oldest is forgotten, which only means asking the database again. */
export const REFUSAL_MEMORY_MAX_KEYS = 10_000;
/**
 * The longest a refusal is trusted without asking the database again. A block the database ends early (a right
 * password or a reset on another instance, an admin) reaches this instance at most this late, and a lockout (no end)
 * is asked about again this often.
 */
export const REFUSAL_MEMORY_MAX_MS = 60_000;

/**
 * `until`: when the database said the block ends (Infinity: until cleared); `recheckAt`: when to ask it again;
 * `id`: which remembering this is, so that an alias made for it never answers for a later one.
 */
type Remembered = { until: number; recheckAt: number; id: number };
/** An alias answers only for the remembering of `key` it was made for (see `rememberAlias`). */
type Alias = { key: string; rememberedId: number };
let nextRememberedId = 1;

type Memory = { refusals: Map<string, Remembered>; aliases: Map<string, Alias> };
// Per database, so that what an instance learnt about one database never answers for another (tests open many).
const memories = new WeakMap<Database, Memory>();

function memoryOf(current: Database): Memory {
  let state = memories.get(current);
  if (!state) memories.set(current, (state = { refusals: new Map(), aliases: new Map() }));
  return state;
}

const memory = () => memoryOf(database()).refusals;
const aliases = () => memoryOf(database()).aliases;

/**
 * Notes that a request naming `alias` (what a client sent, e.g. a sign-in identifier) was refused under `key` (what
 * the database found it to mean, e.g. the account's throttle). While this remembering of `key` lasts, a request
 * naming the alias is refused without the query that would find the key again; once it ends (the recheck is due,
 * the block was lifted here, or a new answer replaced it) the alias is dead, even if `key` is refused again later.
 * Bounded like the refusals themselves.
 */
export function rememberAlias(alias: string, key: string): void {
  const remembered = memory().get(key);
  if (!remembered) return;
  const entries = aliases();
  entries.delete(alias);
  if (entries.size >= REFUSAL_MEMORY_MAX_KEYS) entries.delete(entries.keys().next().value!);
  entries.set(alias, { key, rememberedId: remembered.id });
}

/** The key an alias was refused under, while the remembering it was made for lasts; else null. */
export function rememberedAlias(alias: string): { key: string; remainingMs: number } | null {
  const entries = aliases();
  const entry = entries.get(alias);
  if (!entry) return null;
  const remainingMs = memory().get(entry.key)?.id === entry.rememberedId ? rememberedRefusal(entry.key) : null;
  if (remainingMs === null) {
    entries.delete(alias);
    return null;
  }
  return { key: entry.key, remainingMs };
}

/**
 * Notes what the database just answered: `key` is refused for `remainingMs` more (null: until cleared). Only ever
 * a copy of a database answer, so an instance refuses nothing the database would allow, except within
 * REFUSAL_MEMORY_MAX_MS of a block being lifted elsewhere.
 */
export function rememberRefusal(key: string, remainingMs: number | null): void {
  if (remainingMs !== null && remainingMs <= 0) return;
  const entries = memory();
  const now = Date.now();
  const until = remainingMs === null ? Infinity : now + remainingMs;
  const known = entries.get(key);
  // Answers to requests that raced each other arrive in any order: the later end was the database's word too.
  if (known && known.recheckAt > now && known.until >= until) return;
  entries.delete(key);
  if (entries.size >= REFUSAL_MEMORY_MAX_KEYS) entries.delete(entries.keys().next().value!);
  entries.set(key, { until, recheckAt: Math.min(until, now + REFUSAL_MEMORY_MAX_MS), id: nextRememberedId++ });
}

/** How much longer `key` is refused (Infinity: until cleared), or null when this instance must ask the database. */
export function rememberedRefusal(key: string): number | null {
  const entries = memory();
  const known = entries.get(key);
  if (!known) return null;
  const now = Date.now();
  if (now >= known.recheckAt) {
    entries.delete(key);
    return null;
  }
  return known.until - now;
}

/** The database lifted or loosened the block on `key` through this instance (a success, a refund, an admin). */
export function forgetRefusal(key: string): void {
  memory().delete(key);
}

/** Everything this instance remembers about the current database: for tests that move the database's clock. */
export function forgetAllRefusals(): void {
  memory().clear();
  aliases().clear();
}
