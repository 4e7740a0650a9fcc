import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { findExecutable } from "./executables.ts";
import { freePort } from "./ports.ts";

/** A throwaway PostgreSQL cluster on loopback, owned by the test run that started it. */
export interface PostgresServer {
  /** postgres://… of the maintenance database `postgres` */
  readonly adminUrl: string;
  readonly port: number;
  /** creates an empty database and returns its URL */
  createDatabase(name?: string): Promise<string>;
  /** stops the server (fast shutdown) and keeps the data directory */
  stopServer(): void;
  /** starts it again on the same port and data directory */
  startServer(): void;
  /** stops the server and deletes its data directory */
  destroy(): void;
}

/** The directory holding initdb and pg_ctl, or undefined when PostgreSQL is not installed. */
export function findPostgresBin(): string | undefined {
  const onPath = findExecutable("initdb");
  if (onPath) return join(onPath, "..");
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], "bin") : undefined;
}

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

/** Runs a PostgreSQL binary; as root it runs as the `postgres` user, since PostgreSQL refuses root. */
function runPg(bin: string, tool: string, args: string[]): void {
  const command = join(bin, tool);
  if (isRoot) execFileSync("runuser", ["-u", "postgres", "--", command, ...args], { stdio: "pipe" });
  else execFileSync(command, args, { stdio: "pipe" });
}

function postgresUid(): { uid: number; gid: number } {
  const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
  return { uid, gid };
}

let counter = 0;

export async function startPostgres(bin = findPostgresBin()): Promise<PostgresServer> {
  if (!bin) throw new Error("PostgreSQL is not installed (Debian: apt-get install postgresql)");
  const base = mkdtempSync(join(tmpdir(), "todo-pg-"));
  const dataDir = join(base, "data");
  const socketDir = base;
  if (isRoot) {
    const { uid, gid } = postgresUid();
    chownSync(base, uid, gid);
  }
  chmodSync(base, 0o700);
  runPg(bin, "initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"]);
  const port = await freePort();
  const options = [
    `-p ${port}`,
    "-c listen_addresses=127.0.0.1",
    `-c unix_socket_directories=${socketDir}`,
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c max_connections=200",
  ].join(" ");
  const logFile = join(base, "server.log");
  const startServer = (): void => runPg(bin, "pg_ctl", ["-D", dataDir, "-l", logFile, "-o", options, "-w", "-t", "30", "start"]);
  const stopServer = (): void => {
    try {
      runPg(bin, "pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "-t", "30", "stop"]);
    } catch {
      // already stopped
    }
  };
  startServer();
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    adminUrl,
    port,
    async createDatabase(name = `test_${process.pid}_${++counter}_${Date.now().toString(36)}`) {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name.replaceAll('"', "")}"`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    stopServer,
    startServer,
    destroy() {
      stopServer();
      rmSync(base, { recursive: true, force: true });
    },
  };
}
