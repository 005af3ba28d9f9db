import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { env } from "@/lib/env";
import { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { IN_MEMORY_PGLITE, parseDatabaseUrl, type DatabaseTarget } from "./target";

/**
 * Connections per instance. A sign-in makes several round trips, each queued behind every read in flight: with 10,
 * 200 mixed clients kept sign-ins waiting on the pool more than on bcrypt (twice the sign-ins and /me answers with 20
 * in the load test). Instances × 20 must stay within PostgreSQL's max_connections (100 by default).
 */
const POOL_SIZE = 20;
const CONNECT_TIMEOUT_MS = 5_000;
/**
 * Interactive transactions wait this long for a free connection. Prisma's default (2 s) turned busy moments into
 * 500s under the 200-client load test; any other query simply waits for the pool.
 */
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 } as const;

/** One statement, straight to the driver: for the few queries on every request's path (see `preparedQuery`). */
export type PreparedStatement = { name: string; text: string };

export type Database = {
  target: DatabaseTarget;
  prisma: PrismaClient;
  /**
   * Runs a named statement on the driver itself. PostgreSQL then parses and plans it once per connection, and the
   * query skips Prisma's per-query work: together about half the cost of the session check behind every request.
   * Columns come back as the driver parses them, so select plain types (text, numbers, booleans), not timestamps.
   */
  preparedQuery<Row>(statement: PreparedStatement, values: unknown[]): Promise<Row[]>;
  /** The same connection(s) as `prisma`, for the migration engine (PGlite allows one instance per folder). */
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
};

/**
 * PostgreSQL's buffer cache inside the embedded database. PGlite keeps PostgreSQL's 128 MB default, and the whole
 * of it becomes resident at start (RSS 321 MB with it, 227 MB at 16 MB, for the database alone); the operating
 * system's page cache still holds the data files, and an app this size reads a few thousand rows.
 */
const PGLITE_SHARED_BUFFERS = "16MB";

/** Every PGlite we open loads the extensions our migrations use, as a PostgreSQL server has them. */
function openPglite(dataDir: string): PGlite {
  return new PGlite(dataDir, {
    extensions: { pg_trgm },
    startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${PGLITE_SHARED_BUFFERS}`],
  });
}

function pgliteAdapterFactory(client: PGlite): SqlMigrationAwareDriverAdapterFactory {
  const factory = new PrismaPGlite(client);
  // The adapter's own shadow database (for schema diffs) would lack pg_trgm.
  factory.connectToShadowDb = () => new PrismaPGlite(openPglite("memory://shadow")).connect();
  // pglite-prisma-adapter is typed against an older @prisma/driver-adapter-utils than Prisma 7.10;
  // the runtime interface is the same, so this is the one place the two type versions meet.
  return factory as unknown as SqlMigrationAwareDriverAdapterFactory;
}

function assemble(
  target: DatabaseTarget,
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  preparedQuery: Database["preparedQuery"],
  closeDriver: () => Promise<void>,
): Database {
  const prisma = new PrismaClient({ adapter: adapterFactory, transactionOptions: TRANSACTION_OPTIONS });
  return {
    target,
    prisma,
    preparedQuery,
    adapterFactory,
    async close() {
      await prisma.$disconnect();
      await closeDriver();
    },
  };
}

export function createDatabase(target: DatabaseTarget): Database {
  if (target.kind === "pglite") {
    if (target.dataDir !== IN_MEMORY_PGLITE) mkdirSync(target.dataDir, { recursive: true });
    const client = openPglite(target.dataDir);
    const preparedQuery = async <Row>({ text }: PreparedStatement, values: unknown[]) => (await client.query<Row>(text, values)).rows;
    return assemble(target, pgliteAdapterFactory(client), preparedQuery, () => client.close());
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    max: POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // An idle client losing its server must not crash the process; the pool reconnects on next use.
  pool.on("error", () => {});
  const preparedQuery = async <Row>({ name, text }: PreparedStatement, values: unknown[]) =>
    (await pool.query({ name, text, values })).rows as Row[];
  return assemble(target, new PrismaPg(pool), preparedQuery, () => pool.end());
}

// Kept on globalThis so that dev-server reloads reuse the one PGlite instance a folder allows.
const holder = globalThis as typeof globalThis & { latchkeyDatabase?: Database };

export function database(): Database {
  holder.latchkeyDatabase ??= createDatabase(parseDatabaseUrl(env().DATABASE_URL));
  return holder.latchkeyDatabase;
}

/** The client inside `db().$transaction(async (tx) => …)`: services take it to join their caller's transaction. */
export type Transaction = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

export function db(): PrismaClient {
  return database().prisma;
}

/**
 * Writes that belong together: in the caller's transaction when there is one (in order: a transaction holds one
 * connection, and Prisma's queries run when awaited), else as a batch transaction of their own, which costs fewer
 * round trips than an interactive one.
 */
export async function writeTogether(tx: Transaction | undefined, writes: (client: Transaction) => Prisma.PrismaPromise<unknown>[]): Promise<void> {
  if (!tx) {
    await db().$transaction(writes(db()));
    return;
  }
  for (const write of writes(tx)) await write;
}

/** Points the process at another database (integration tests); returns the previous one. */
export function setCurrentDatabase(next: Database | undefined): Database | undefined {
  const previous = holder.latchkeyDatabase;
  holder.latchkeyDatabase = next;
  return previous;
}

/** Prisma stores DateTime as UTC in `timestamp without time zone`; raw SQL compares against this, whatever the
 * server's TimeZone setting. `UTC_NOW_SQL` is the same for the text of a `PreparedStatement`. */
export const UTC_NOW_SQL = "(now() AT TIME ZONE 'UTC')";
export const UTC_NOW = Prisma.raw(UTC_NOW_SQL);
