// In a cluster the backend often starts before PostgreSQL answers. It must not exit (a restart, a
// CrashLoopBackOff): it serves /health, answers /ready with 503 until the database is reachable and
// migrated, then becomes ready by itself.
import { findPostgresBin, startPostgres, suiteGate, waitForHttp, type PostgresServer } from "@todo/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { startServerProcess, type ServerProcess } from "./support/server-process.ts";

const pgBin = findPostgresBin();
const gate = suiteGate("backend start-up before the database", pgBin ? undefined : "PostgreSQL not installed; apt-get install postgresql");

describe.skipIf(!gate.ok)("start-up while the database is not reachable yet", () => {
  let postgres: PostgresServer | undefined;
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.proc.stop();
    postgres?.destroy();
  });

  it("keeps running, answers /health, reports 'migrations not applied yet', and becomes ready once PostgreSQL is up", async () => {
    postgres = await startPostgres(pgBin);
    const url = await postgres.createDatabase();
    postgres.stopServer();
    server = await startServerProcess({ DATABASE_URL: url, NODE_ENV: "production" }, { waitReady: false });
    const base = server.url;
    const answer = async (path: string): Promise<Response | undefined> => fetch(`${base}${path}`).catch(() => undefined);

    // alive: /health answers (how soon depends on the machine's load, not on the behaviour under test; the
    // wait fails with the server's output if it exits instead)
    await waitForHttp(`${base}/health`, { timeoutMs: 60_000, process: server.proc });
    // a few seconds without a database: still alive, not ready, and saying why
    await new Promise((r) => setTimeout(r, 3_000));
    const notReady = await answer("/ready");
    expect(notReady?.status).toBe(503);
    expect(((await notReady?.json()) as { reason?: string }).reason).toBe("migrations not applied yet");

    postgres.startServer();
    await waitForHttp(`${base}/ready`, { timeoutMs: 60_000, process: server.proc });
  }, 150_000);
});
