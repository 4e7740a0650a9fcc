import { join } from "node:path";
import { helm as run, helmOk as runOk, type HelmRun } from "@todo/testkit";

export const chartDir = join(__dirname, "..", "..", "apps", "chart");

/** helm against a cluster's kubeconfig, through the one runner (@todo/testkit); never rejects on exit codes. */
export function helm(kubeconfig: string, args: string[]): Promise<HelmRun> {
  return run(args, { kubeconfig });
}

/** Like helm(), but throws with helm's output when it exits non-zero. */
export function helmOk(kubeconfig: string, args: string[]): Promise<HelmRun> {
  return runOk(args, { kubeconfig });
}

/** The API server's Pod Security warnings that helm printed (one per offending object). */
export function podSecurityWarnings(output: string): string[] {
  return output.split("\n").filter((line) => /violate PodSecurity/i.test(line));
}
