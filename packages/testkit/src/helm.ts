/**
 * The one way the suites run helm: found on PATH or in ~/go/bin (where `go install` puts it), run with
 * plugins off (HELM_NO_PLUGINS=1: a user's plugins cannot change what a suite sees), never through a
 * shell. When helm is missing, the message says how to install the version CI uses.
 */
import { execFile } from "node:child_process";
import { findExecutable } from "./executables.ts";

/**
 * The helm release the suites are run with in CI: the one the Pulumi Kubernetes provider embeds, which
 * .ci/run builds in the provider's module (packages/pulumi-engine/pulumi-engine.sh --helm); the testkit suite
 * checks that the helm it runs reports this version.
 */
export const HELM_VERSION = "v3.18.6";

export const helmInstallHint =
  `helm not found on PATH or in ~/go/bin; install it with \`go install helm.sh/helm/v3/cmd/helm@${HELM_VERSION}\` ` +
  "(Go >= 1.24; it lands in $(go env GOPATH)/bin) or see https://helm.sh/docs/intro/install/";

/** Absolute path of helm, or undefined when it is not installed. */
export function helmBin(): string | undefined {
  return findExecutable("helm");
}

/** The install hint when helm is missing, else undefined: what a suite gate takes. */
export function missingHelm(): string | undefined {
  return helmBin() ? undefined : helmInstallHint;
}

export interface HelmRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface HelmOptions {
  /** appended as `--kubeconfig <path>` (commands that talk to a cluster) */
  readonly kubeconfig?: string;
  /** default 180 s */
  readonly timeoutMs?: number;
  /** added to the environment */
  readonly env?: Readonly<Record<string, string>>;
  /** working directory (relative chart paths resolve from it) */
  readonly cwd?: string;
}

/**
 * Runs `helm <args>`; resolves with its exit code and output whatever the exit code (a failure is data).
 * Rejects only when helm is not installed, with {@link helmInstallHint}.
 */
export function helm(args: readonly string[], options: HelmOptions = {}): Promise<HelmRun> {
  const bin = helmBin();
  if (!bin) return Promise.reject(new Error(helmInstallHint));
  const fullArgs = options.kubeconfig ? [...args, "--kubeconfig", options.kubeconfig] : [...args];
  return new Promise((done) => {
    execFile(
      bin,
      fullArgs,
      {
        encoding: "utf8",
        cwd: options.cwd,
        timeout: options.timeoutMs ?? 180_000,
        maxBuffer: 32 * 1024 * 1024,
        env: { ...process.env, HELM_NO_PLUGINS: "1", ...options.env },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        // a timeout or a signal leaves stderr empty: the error says what happened
        done({ code, stdout, stderr: stderr || (error ? error.message : "") });
      },
    );
  });
}

/** Like {@link helm}, but rejects with the command and helm's output when it exits non-zero. */
export async function helmOk(args: readonly string[], options: HelmOptions = {}): Promise<HelmRun> {
  const run = await helm(args, options);
  if (run.code !== 0) {
    throw new Error(`helm ${args.join(" ")} failed (exit ${run.code}):\n${run.stderr}${run.stdout}`);
  }
  return run;
}
