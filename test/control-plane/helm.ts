import { execFile } from "node:child_process";
import { join } from "node:path";
import { findExecutable } from "@todo/testkit";

export const chartDir = join(__dirname, "..", "..", "apps", "chart");

export const helmBin = findExecutable("helm");

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs helm against the control plane's kubeconfig; resolves (never rejects) with exit code and output. */
export function helm(kubeconfig: string, args: string[]): Promise<HelmResult> {
  if (!helmBin) throw new Error("helm not found; go install helm.sh/helm/v3/cmd/helm@v3.19.5");
  return new Promise((resolve) => {
    execFile(
      helmBin,
      [...args, "--kubeconfig", kubeconfig],
      { encoding: "utf8", timeout: 180_000, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Like helm(), but throws with helm's output when it exits non-zero. */
export async function helmOk(kubeconfig: string, args: string[]): Promise<HelmResult> {
  const result = await helm(kubeconfig, args);
  if (result.code !== 0) {
    throw new Error(`helm ${args.join(" ")} failed (exit ${result.code}):\n${result.stderr}${result.stdout}`);
  }
  return result;
}

/** The API server's Pod Security warnings that helm printed (one per offending object). */
export function podSecurityWarnings(output: string): string[] {
  return output.split("\n").filter((line) => /violate PodSecurity/i.test(line));
}
