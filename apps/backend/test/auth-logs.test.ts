import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresDatabase, postgresGate } from "./support/backends.ts";
import { postJson, startServerProcess, type ServerProcess } from "./support/server-process.ts";

const ORIGIN = { origin: "http://localhost:3000" };

/** Makes every insert into `table` fail inside PostgreSQL, as a broken or full database would. */
async function failInserts(databaseUrl: string, table: "session" | "account" | "user", fail: boolean): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`CREATE OR REPLACE FUNCTION refuse_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'inserts are refused for this test'; END $$`);
    await client.query(`DROP TRIGGER IF EXISTS refuse_${table} ON "${table}"`);
    if (fail) await client.query(`CREATE TRIGGER refuse_${table} BEFORE INSERT ON "${table}" FOR EACH ROW EXECUTE FUNCTION refuse_insert()`);
  } finally {
    await client.end();
  }
}

describe.skipIf(!postgresGate.ok)("Better Auth's logs go through the app's logger, redacted (postgres, real server process)", () => {
  let server: ServerProcess;
  let databaseUrl: string;
  beforeAll(async () => {
    databaseUrl = await createPostgresDatabase();
    server = await startServerProcess({ DATABASE_URL: databaseUrl, LOG_LEVEL: "debug" });
  }, 120_000);
  afterAll(() => server?.proc.stop());

  it("a database error during sign-up and sign-in logs JSON lines without the email, the token, the password hash or SQL", async () => {
    const email = `leaky-${Date.now()}@example.com`;
    const password = "correct-horse-1";
    const before = server.proc.output().length;

    await failInserts(databaseUrl, "user", true);
    expect((await postJson(`${server.url}/api/auth/sign-up/email`, { name: "Leaky", email, password }, ORIGIN)).status).toBe(422);
    await failInserts(databaseUrl, "user", false);

    await failInserts(databaseUrl, "account", true);
    const failedSignUp = await postJson(`${server.url}/api/auth/sign-up/email`, { name: "Leaky", email, password }, ORIGIN);
    expect(failedSignUp.status).toBeGreaterThanOrEqual(400);
    await failInserts(databaseUrl, "account", false);

    const otherEmail = `leaky-2-${Date.now()}@example.com`;
    expect((await postJson(`${server.url}/api/auth/sign-up/email`, { name: "Leaky", email: otherEmail, password }, ORIGIN)).status).toBe(200);
    await failInserts(databaseUrl, "session", true);
    const failedSignIn = await postJson(`${server.url}/api/auth/sign-in/email`, { email: otherEmail, password }, ORIGIN);
    expect(failedSignIn.status).toBeGreaterThanOrEqual(400);
    await failInserts(databaseUrl, "session", false);

    await new Promise((r) => setTimeout(r, 300)); // let the last lines arrive
    const lines = server.proc.output().slice(before).split("\n").filter((line) => line.trim() !== "");
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(() => JSON.parse(line), `not a JSON log line: ${line}`).not.toThrow();
    }
    const logs = lines.join("\n");
    // both failures were logged, once each, by the app's error handler (not better-call's console dump)
    expect(logs.match(/"msg":"unhandled error"/g)).toHaveLength(2);
    // and what Better Auth logs itself comes through pino, with the error's type and code only
    expect(logs).toMatch(/"component":"better-auth","details":\[\{"errors":\[\{"type":"\w+"\},\{"type":"error","code":"P0001"\}\]\}\],"msg":"Failed to create user"/);
    expect(logs).not.toContain(email);
    expect(logs).not.toContain(otherEmail);
    expect(logs).not.toMatch(/[0-9a-f]{32}:[0-9a-f]{64,}/); // Better Auth's scrypt "salt:key" password hash
    expect(logs).not.toMatch(/\b[A-Za-z0-9]{32}\b/); // a session token
    expect(logs).not.toMatch(/insert into|params:/i); // SQL and its parameters
  }, 120_000);
});
