/**
 * Real Docker daemons for the Minikube-reality tests: `dockerd` with its own data root, exec root, key
 * and socket, standing for one Minikube machine (its /var/lib/docker and /etc/docker). Restarting one
 * with the same directories is `minikube stop` + `start`; a new one is `minikube delete` + `start`.
 * Needs dockerd and unshare on PATH and root; the caller's gate says why it skipped otherwise.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findExecutable } from "@todo/testkit";

/** Why dockerd cannot be started here, or undefined when it can. */
export function dockerdMissing(): string | undefined {
  if (!findExecutable("dockerd")) return "dockerd not found (apt-get install docker.io)";
  if (!findExecutable("unshare")) return "unshare not found (util-linux)";
  if (process.getuid?.() !== 0) return "dockerd needs root";
  return undefined;
}

function ping(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: "/_ping", timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("error", () => resolve(false));
    req.end();
  });
}

export interface Machine {
  /** DOCKER_HOST of the running daemon */
  readonly dockerHost: string;
  /** starts the daemon (again) on the same directories */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** stops it and deletes its directories */
  remove(): Promise<void>;
}

/** A Docker daemon on directories of its own (not started yet). */
export function machine(): Machine {
  const dir = mkdtempSync(join(tmpdir(), "mk-"));
  const socket = join(dir, "docker.sock");
  let child: ChildProcess | undefined;
  const stop = async (): Promise<void> => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child?.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
    child = undefined;
  };
  return {
    dockerHost: `unix://${socket}`,
    async start() {
      // the machine's own /etc/docker (Docker 20.10 keeps the key its ID comes from there), in a mount namespace of its own
      mkdirSync(join(dir, "etc"), { recursive: true });
      const dockerd = [
        "dockerd",
        `--data-root=${join(dir, "data")}`,
        `--exec-root=${join(dir, "exec")}`,
        `--pidfile=${join(dir, "docker.pid")}`,
        `--host=unix://${socket}`,
        "--bridge=none",
        "--iptables=false",
        "--ip6tables=false",
      ].join(" ");
      child = spawn("unshare", ["-m", "sh", "-c", `mkdir -p /etc/docker && mount --bind ${join(dir, "etc")} /etc/docker && exec ${dockerd}`], {
        stdio: "ignore",
      });
      for (let i = 0; i < 100; i++) {
        if (await ping(socket)) return;
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const why = spawnSync("dockerd", ["--version"], { encoding: "utf8" }).stdout.trim();
      await stop();
      throw new Error(`dockerd (${why}) did not answer on ${socket}`);
    },
    stop,
    async remove() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
