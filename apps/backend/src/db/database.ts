import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "./schema/index.ts";

export type Schema = typeof schema;

/** A drizzle database over either node-postgres or PGlite; the app code does not care which. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  readonly db: Db;
  /** "postgres" for DATABASE_URL, "pglite" for the embedded dev database */
  readonly kind: "postgres" | "pglite";
  /** applies the committed migrations (under an advisory lock on PostgreSQL) */
  migrate(): Promise<void>;
  /** resolves when the database answers a trivial query */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Where drizzle-kit's SQL migrations live: the `drizzle` folder of the package, found upwards from this
 * module, which is src/db/database.ts in development and tests and the bundle dist/server.js when built.
 */
export const migrationsFolder = findMigrationsFolder(dirname(fileURLToPath(import.meta.url)));

function findMigrationsFolder(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, "drizzle");
    if (existsSync(join(candidate, "meta", "_journal.json"))) return candidate;
    if (dirname(dir) === dir) throw new Error(`no drizzle/meta/_journal.json (the SQL migrations) above ${start}`);
  }
}
