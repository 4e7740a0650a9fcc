import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** scripts/control-plane.sh, which builds and runs etcd + kube-apiserver + kube-controller-manager (+ scheduler). */
export const controlPlaneScript = join(__dirname, "..", "..", "scripts", "control-plane.sh");

const REQUIRED = ["etcd", "kube-apiserver", "kube-controller-manager"];

function script(args: string[], timeoutMs: number): string {
  return execFileSync("bash", [controlPlaneScript, ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: timeoutMs,
  });
}

/** Why the suite cannot run (binaries not built), or undefined when it can. */
export function missingControlPlane(): string | undefined {
  const binDir = script(["bin-dir"], 10_000).trim();
  const missing = REQUIRED.filter((name) => !existsSync(join(binDir, name)));
  if (missing.length === 0) return undefined;
  return `${missing.join(", ")} not built in ${binDir}; run 'bash scripts/control-plane.sh build' (Go >= 1.24; tens of minutes cold on 2 cores, cached afterwards)`;
}

export interface ControlPlane {
  readonly dir: string;
  readonly kubeconfig: string;
  /** seconds `start` took */
  readonly startSeconds: number;
  /** the last lines of a component's log, for failure messages */
  logTail(component: string, lines?: number): string;
  stop(): void;
}

export function startControlPlane(): ControlPlane {
  const dir = mkdtempSync(join(tmpdir(), "control-plane-"));
  const started = Date.now();
  let kubeconfig: string;
  try {
    kubeconfig = script(["start", dir], 300_000).trim().split("\n").pop() ?? "";
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? "";
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`scripts/control-plane.sh start failed:\n${stderr || String(error)}`, { cause: error });
  }
  const startSeconds = (Date.now() - started) / 1000;
  return {
    dir,
    kubeconfig,
    startSeconds,
    logTail(component, lines = 40) {
      try {
        return readFileSync(join(dir, "logs", `${component}.log`), "utf8").split("\n").slice(-lines).join("\n");
      } catch {
        return `(no log for ${component})`;
      }
    },
    stop() {
      try {
        script(["stop", dir], 120_000);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
