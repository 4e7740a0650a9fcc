import type { Env } from "../env.ts";
import type { Logger } from "../logger.ts";
import type { Database } from "./database.ts";
import { openPostgres } from "./postgres.ts";

/**
 * PostgreSQL when DATABASE_URL is set, otherwise the embedded PGlite database under DATA_DIR.
 * PGlite is a development dependency (20 MB of WASM), loaded only on that path: production requires
 * DATABASE_URL (see env.ts), so the image leaves it out.
 */
export async function openDatabase(env: Env, logger: Logger): Promise<Database> {
  if (env.DATABASE_URL) return openPostgres(env.DATABASE_URL, env.DB_POOL_MAX, logger);
  logger.warn({ dataDir: env.DATA_DIR }, "DATABASE_URL is not set: using the embedded PGlite database (development only)");
  const { openPglite } = await import("./pglite.ts").catch((error: unknown) => {
    if ((error as { code?: unknown }).code !== "ERR_MODULE_NOT_FOUND") throw error;
    throw new Error(
      "DATABASE_URL is not set and the embedded PGlite database is not installed here " +
        "(@electric-sql/pglite is a development dependency): set DATABASE_URL to a PostgreSQL URL, " +
        "or run `npm ci` in a clone for the development database",
      { cause: error },
    );
  });
  return openPglite(env.DATA_DIR);
}
