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

/** Where drizzle-kit's SQL migrations live: apps/backend/drizzle, both from src/db and dist/db. */
export const migrationsFolder = new URL("../../drizzle", import.meta.url).pathname;
