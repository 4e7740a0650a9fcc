import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import type { Logger } from "../logger.ts";
import { migrationsFolder, type Database, type Db } from "./database.ts";
import * as schema from "./schema/index.ts";

/** An arbitrary constant shared by every replica: the key of the migration advisory lock. */
const MIGRATION_LOCK_KEY = 7_265_310_412;

export function openPostgres(url: string, poolMax: number, logger: Logger): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    connectionTimeoutMillis: 3_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client whose server went away emits here; without a listener the process would crash.
  pool.on("error", (error) => logger.warn({ err: error.message }, "idle database connection lost"));
  const db = drizzle({ client: pool, schema }) as unknown as Db;

  return {
    db,
    kind: "postgres",
    async migrate() {
      // One dedicated connection holds the session-level lock for the whole run, so replicas that
      // start together apply the migrations one after another; the later ones find nothing to do.
      const client = await pool.connect();
      try {
        await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
        try {
          await migrate(drizzle({ client, schema }), { migrationsFolder });
        } finally {
          await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
        }
      } finally {
        client.release();
      }
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      await pool.end();
    },
  };
}
