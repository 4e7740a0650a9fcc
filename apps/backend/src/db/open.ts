import type { Env } from "../env.ts";
import type { Logger } from "../logger.ts";
import type { Database } from "./database.ts";
import { openPglite } from "./pglite.ts";
import { openPostgres } from "./postgres.ts";

/** PostgreSQL when DATABASE_URL is set, otherwise the embedded PGlite database under DATA_DIR. */
export async function openDatabase(env: Env, logger: Logger): Promise<Database> {
  if (env.DATABASE_URL) return openPostgres(env.DATABASE_URL, env.DB_POOL_MAX, logger);
  logger.warn({ dataDir: env.DATA_DIR }, "DATABASE_URL is not set: using the embedded PGlite database (development only)");
  return openPglite(env.DATA_DIR);
}
