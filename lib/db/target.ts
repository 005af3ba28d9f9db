import { DATABASE_URL_SCHEME, DATABASE_URL_SCHEME_RULE, DEFAULT_PGLITE_DIR } from "@/lib/env";

export type DatabaseTarget =
  | { kind: "pglite"; dataDir: string }
  | { kind: "postgres"; url: string };

export const IN_MEMORY_PGLITE = "memory://";

/** `DATABASE_URL` → where the data lives: unset or `pglite:<dir>` is embedded, `postgres(ql)://` a server. */
export function parseDatabaseUrl(url: string | undefined): DatabaseTarget {
  if (!url) return { kind: "pglite", dataDir: DEFAULT_PGLITE_DIR };
  if (!DATABASE_URL_SCHEME.test(url)) throw new Error(`DATABASE_URL ${DATABASE_URL_SCHEME_RULE}`);
  if (url.startsWith("pglite:")) {
    const dataDir = url.slice("pglite:".length);
    if (dataDir === "memory" || dataDir === IN_MEMORY_PGLITE) return { kind: "pglite", dataDir: IN_MEMORY_PGLITE };
    return { kind: "pglite", dataDir: dataDir || DEFAULT_PGLITE_DIR };
  }
  return { kind: "postgres", url };
}
