import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { migrationsFolder, type Database, type Db } from "./database.ts";
import * as schema from "./schema/index.ts";

/**
 * The embedded development database: PostgreSQL compiled to WASM, stored under DATA_DIR/pglite
 * ("memory://" keeps it in memory, for tests). One process owns the directory, so migrations need
 * no lock here.
 */
export async function openPglite(dataDir: string): Promise<Database> {
  let client: PGlite;
  if (dataDir === "memory://") {
    client = await PGlite.create();
  } else {
    const dir = resolve(dataDir, "pglite");
    mkdirSync(dir, { recursive: true });
    client = await PGlite.create(dir);
  }
  const db = drizzle({ client, schema });
  return {
    db: db as unknown as Db,
    kind: "pglite",
    async migrate() {
      await migrate(db, { migrationsFolder });
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      await client.close();
    },
  };
}
