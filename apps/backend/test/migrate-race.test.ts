import pg from "pg";
import { is } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { afterAll, describe, expect, it } from "vitest";
import { createPostgresDatabase, postgresGate } from "./support/backends.ts";
import * as schema from "../src/db/schema/index.ts";
import { startServerProcess, type ServerProcess } from "./support/server-process.ts";

describe.skipIf(!postgresGate.ok)("two processes migrating one empty database at once (postgres)", () => {
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.proc.stop()));
  });

  it("both come up ready and the migrations are applied exactly once", async () => {
    const databaseUrl = await createPostgresDatabase();
    servers.push(...(await Promise.all([startServerProcess({ DATABASE_URL: databaseUrl }), startServerProcess({ DATABASE_URL: databaseUrl })])));
    for (const s of servers) expect((await fetch(`${s.url}/ready`)).status).toBe(200);

    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM drizzle."__drizzle_migrations"');
      const { rows: tables } = await client.query<{ n: string }>("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'");
      expect(Number(rows[0]?.n)).toBeGreaterThanOrEqual(1);
      const { readdirSync } = await import("node:fs");
      const files = readdirSync(new URL("../drizzle", import.meta.url)).filter((f) => f.endsWith(".sql"));
      expect(Number(rows[0]?.n)).toBe(files.length);
      // every table of the schema, no more (the migrations create them once)
      expect(Number(tables[0]?.n)).toBe(Object.values(schema).filter((value) => is(value, PgTable)).length);
    } finally {
      await client.end();
    }
  }, 240_000);
});
