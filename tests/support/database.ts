import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { createDatabase, setCurrentDatabase, type Database } from "@/lib/db/client";
import { applyMigrations, readMigrations } from "@/lib/db/migrate";
import { IN_MEMORY_PGLITE } from "@/lib/db/target";

/** "postgres" when the suite runs against the real server in TEST_DATABASE_URL, else in-memory PGlite. */
export function testDatabaseKind(): "pglite" | "postgres" {
  return process.env.INTEGRATION_DATABASE === "postgres" && process.env.TEST_DATABASE_URL ? "postgres" : "pglite";
}

export function serverUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error("TEST_DATABASE_URL is not set");
  return url;
}

export function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** Runs one statement on the test server's maintenance database. */
async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new, empty database on the test server, dropped by the returned function. */
export async function createServerDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `latchkey_test_${randomBytes(6).toString("hex")}`;
  await onServer(`CREATE DATABASE "${name}"`);
  return {
    url: withDatabaseName(serverUrl(), name),
    drop: () => onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

export type TestDatabase = Database & { dispose(): Promise<void> };

/** A migrated, empty database that the app's `db()` now points at. */
export async function freshDatabase(): Promise<TestDatabase> {
  let database: Database;
  let drop = async () => {};
  if (testDatabaseKind() === "postgres") {
    const server = await createServerDatabase();
    database = createDatabase({ kind: "postgres", url: server.url });
    drop = server.drop;
  } else {
    database = createDatabase({ kind: "pglite", dataDir: IN_MEMORY_PGLITE });
  }
  await applyMigrations(database);
  return makeCurrent(database, drop);
}

/** Points the app's `db()` at `database` until it is disposed of. */
function makeCurrent(database: Database, drop = async () => {}): TestDatabase {
  setCurrentDatabase(database);
  return {
    ...database,
    async dispose() {
      setCurrentDatabase(undefined);
      await database.close();
      await drop();
    },
  };
}

type Patchable = Record<string, unknown>;
export type SentQuery = { text: string; values: unknown[] };

/** Replaces `target[name]` with a wrapper that first notes the call; returns the undo. */
function noteCalls(target: Patchable, name: string, note: (args: unknown[]) => SentQuery, sent: SentQuery[]): () => void {
  const original = target[name] as (...args: unknown[]) => unknown;
  target[name] = function (this: unknown, ...args: unknown[]) {
    sent.push(note(args));
    return original.apply(this, args);
  };
  return () => {
    target[name] = original;
  };
}

/** `query(text, values)` or `query({ text, values })`, as PGlite and node-postgres take them. */
function queryOf(args: unknown[]): SentQuery {
  if (typeof args[0] === "object" && args[0] !== null) {
    const { text, values } = args[0] as { text?: string; values?: unknown[] };
    return { text: String(text), values: values ?? (Array.isArray(args[1]) ? args[1] : []) };
  }
  return { text: String(args[0]), values: Array.isArray(args[1]) ? args[1] : [] };
}

/**
 * The queries the app sends while `run` runs, in order: every query and transaction on PGlite, every pooled
 * client's query on PostgreSQL (BEGIN and COMMIT included). For "this request costs the database what that one
 * does", and for reading the plan of the SQL a service really sends.
 */
export async function queriesDuring<T>(database: Database, run: () => Promise<T>): Promise<{ result: T; queries: SentQuery[] }> {
  const queries: SentQuery[] = [];
  const undo: (() => void)[] = [];
  if (database.target.kind === "pglite") {
    const client = (database.adapterFactory as unknown as { client: Patchable }).client;
    undo.push(noteCalls(client, "query", queryOf, queries), noteCalls(client, "exec", queryOf, queries));
    undo.push(noteCalls(client, "transaction", () => ({ text: "BEGIN (transaction)", values: [] }), queries));
  } else {
    undo.push(noteCalls(pg.Client.prototype as unknown as Patchable, "query", queryOf, queries));
  }
  try {
    return { result: await run(), queries };
  } finally {
    for (const step of undo) step();
  }
}

/**
 * For unit tests of SQL next to the code (and mutation testing, which runs them once per mutant): an in-memory
 * PGlite with every migration's SQL applied directly, in order, skipping Prisma's migration engine and its
 * bookkeeping. Seconds faster than `freshDatabase`; the schema is the same.
 */
export async function schemaOnlyDatabase(): Promise<TestDatabase> {
  const database = createDatabase({ kind: "pglite", dataDir: IN_MEMORY_PGLITE });
  const client = (database.adapterFactory as unknown as { client: { exec(sql: string): Promise<unknown> } }).client;
  const { baseDir, migrationDirectories } = await readMigrations();
  for (const { migrationFile } of migrationDirectories) {
    if (migrationFile.content.tag !== "ok") throw new Error(`unreadable migration in ${baseDir}`);
    await client.exec(migrationFile.content.value);
  }
  return makeCurrent(database);
}

/** For one unit-test file: a `schemaOnlyDatabase` made current before its tests and disposed after them. */
export function schemaOnlyDatabaseForFile(): void {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await schemaOnlyDatabase();
  }, 60_000);
  afterAll(async () => {
    await database?.dispose();
  });
}
