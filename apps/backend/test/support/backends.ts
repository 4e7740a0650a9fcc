import { findPostgresBin, suiteGate } from "@todo/testkit";
import pg from "pg";
import { inject } from "vitest";

export type Backend = "postgres" | "pglite";

/** Skips (one line) on a laptop without PostgreSQL, fails in CI (REQUIRE_ALL_SUITES=1). */
export const postgresGate = suiteGate(
  "backend (postgres)",
  findPostgresBin() && inject("pgAdminUrl") ? undefined : "PostgreSQL not installed (Debian: apt-get install postgresql)",
);

/** The data-backed suites run against real PostgreSQL and against PGlite. */
export const backends: Backend[] = postgresGate.ok ? ["postgres", "pglite"] : ["pglite"];

let counter = 0;

/** A new empty database in the suite's cluster. */
export async function createPostgresDatabase(adminUrl = inject("pgAdminUrl")): Promise<string> {
  const name = `backend_${process.pid}_${++counter}_${Date.now().toString(36)}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
