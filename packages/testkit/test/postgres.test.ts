import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findPostgresBin, startPostgres, suiteGate, type PostgresServer } from "../src/index.ts";

const bin = findPostgresBin();
const gate = suiteGate("testkit (postgres)", bin ? undefined : "PostgreSQL not installed (apt-get install postgresql)");

describe.skipIf(!gate.ok)("throwaway PostgreSQL", () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres(bin);
  }, 60_000);
  afterAll(() => server?.destroy());

  it("creates isolated databases that survive a server restart", async () => {
    const url = await server.createDatabase();
    const other = await server.createDatabase();
    expect(url).not.toBe(other);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query("CREATE TABLE t (v int); INSERT INTO t VALUES (42)");
    await client.end();

    server.stopServer();
    await expect(new pg.Client({ connectionString: url }).connect()).rejects.toThrow();
    server.startServer();

    const again = new pg.Client({ connectionString: url });
    await again.connect();
    const { rows } = await again.query<{ v: number }>("SELECT v FROM t");
    await again.end();
    expect(rows).toEqual([{ v: 42 }]);
  }, 60_000);
});
