import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import * as engineBindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type { Database } from "./client";

export const SCHEMA_PATH = "prisma/schema.prisma";
export const MIGRATIONS_DIR = "prisma/migrations";
const LOCKFILE = "migration_lock.toml";
const MIGRATION_FILE = "migration.sql";
const NO_FILTERS = { externalTables: [], externalEnums: [] };
// Arbitrary but fixed: every Latchkey instance on one PostgreSQL takes this lock to migrate one at a time.
const MIGRATION_ADVISORY_LOCK = 7_305_112_026;

type EngineClass = typeof SchemaEngine;
let engineClass: Promise<EngineClass> | undefined;

/**
 * Loads Prisma's Wasm schema engine by hand: Node cannot import the `.wasm` module the package's entry point
 * imports, so we instantiate it with its JS glue as the import object, as wasm-bindgen's bundler target expects.
 */
function loadEngineClass(): Promise<EngineClass> {
  engineClass ??= (async () => {
    const requireFromProject = createRequire(path.join(process.cwd(), "package.json"));
    const gluePath = requireFromProject.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = await readFile(path.join(path.dirname(gluePath), "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, {
      "./schema_engine_bg.js": engineBindings as unknown as WebAssembly.ModuleImports,
    });
    const exports = instance.exports as WebAssembly.Exports & { __wbindgen_start(): void };
    engineBindings.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
    return engineBindings.SchemaEngine;
  })();
  return engineClass;
}

export async function readSchema(root = process.cwd()) {
  const schemaPath = path.join(root, SCHEMA_PATH);
  return { path: schemaPath, content: await readFile(schemaPath, "utf8") };
}

export async function readMigrations(root = process.cwd()): Promise<MigrationList> {
  const baseDir = path.join(root, MIGRATIONS_DIR);
  const lockPath = path.join(baseDir, LOCKFILE);
  const entries = existsSync(baseDir) ? await readdir(baseDir, { withFileTypes: true }) : [];
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  return {
    baseDir,
    lockfile: { path: lockPath, content: existsSync(lockPath) ? await readFile(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: await Promise.all(
      names.map(async (name) => ({
        path: name,
        migrationFile: {
          path: MIGRATION_FILE,
          content: { tag: "ok" as const, value: await readFile(path.join(baseDir, name, MIGRATION_FILE), "utf8") },
        },
      })),
    ),
  };
}

export async function withSchemaEngine<T>(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  run: (engine: SchemaEngine) => Promise<T>,
  root = process.cwd(),
): Promise<T> {
  const Engine = await loadEngineClass();
  const schema = await readSchema(root);
  const engine = await Engine.new(
    { datamodels: [[schema.path, schema.content]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
  try {
    return await run(engine);
  } finally {
    engine.free();
  }
}

/**
 * The engine's connections for one migration run. On PostgreSQL they come from a pool of their own that is closed
 * afterwards: the engine takes a session-level advisory lock it never releases, which on the app's long-lived pool
 * would make every later migration run (another instance starting) wait for the engine's lock timeout. We also hold
 * our own advisory lock for the whole run so that instances starting together migrate one after another.
 */
async function withMigrationConnections<T>(
  database: Database,
  run: (adapterFactory: SqlMigrationAwareDriverAdapterFactory) => Promise<T>,
): Promise<T> {
  if (database.target.kind !== "postgres") return run(database.adapterFactory);
  const pool = new pg.Pool({ connectionString: database.target.url, max: 3 });
  pool.on("error", () => {});
  try {
    const lockClient = await pool.connect();
    try {
      await lockClient.query("SELECT pg_advisory_lock($1)", [MIGRATION_ADVISORY_LOCK]);
      return await run(new PrismaPg(pool));
    } finally {
      await lockClient.query("SELECT pg_advisory_unlock($1)", [MIGRATION_ADVISORY_LOCK]).catch(() => {});
      lockClient.release();
    }
  } finally {
    await pool.end();
  }
}

/**
 * Whether every migration in the folder is recorded as applied, unchanged (Prisma's checksum is the SHA-256 of the
 * file). That is every start but the first after an upgrade, and one query answers it: the schema engine, whose
 * Wasm instance keeps about 45 MB for the life of the process and takes a quarter of a second to load, is then
 * never loaded. Anything else (no history table, a migration pending, failed or edited) is the engine's to judge.
 */
export async function everyMigrationApplied(database: Database, migrationsList: MigrationList): Promise<boolean> {
  let applied: Map<string, string>;
  try {
    const rows = await database.prisma.$queryRawUnsafe<{ migration_name: string; checksum: string; finished: boolean }[]>(
      "SELECT migration_name, checksum, finished_at IS NOT NULL AS finished FROM _prisma_migrations WHERE rolled_back_at IS NULL",
    );
    // A migration that failed (or is running on another instance), ours or not: the engine decides what happens.
    if (rows.some((row) => !row.finished)) return false;
    applied = new Map(rows.map((row) => [row.migration_name, row.checksum]));
  } catch {
    return false;
  }
  return migrationsList.migrationDirectories.every(
    ({ path: name, migrationFile: { content } }) =>
      content.tag === "ok" && applied.get(name) === createHash("sha256").update(content.value).digest("hex"),
  );
}

/** Applies pending migrations from prisma/migrations, recording them in `_prisma_migrations`. */
export async function applyMigrations(database: Database, root = process.cwd()): Promise<string[]> {
  const migrationsList = await readMigrations(root);
  if (await everyMigrationApplied(database, migrationsList)) return [];
  return withMigrationConnections(database, (adapterFactory) =>
    withSchemaEngine(
      adapterFactory,
      async (engine) => (await engine.applyMigrations({ migrationsList, filters: NO_FILTERS })).appliedMigrationNames,
      root,
    ),
  );
}

/** SQL that takes the migration history to the current schema; empty when nothing changed. */
export async function diffSchemaAgainstMigrations(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  root = process.cwd(),
): Promise<string> {
  const migrationsList = await readMigrations(root);
  const schema = await readSchema(root);
  const from = migrationsList.migrationDirectories.length
    ? { tag: "migrations" as const, ...migrationsList }
    : { tag: "empty" as const };
  const result = await withSchemaEngine(
    adapterFactory,
    (engine) =>
      engine.diff({
        from,
        to: { tag: "schemaDatamodel", files: [schema] },
        script: true,
        exitCode: null,
        filters: NO_FILTERS,
      }),
    root,
  );
  return result.stdout ?? "";
}
