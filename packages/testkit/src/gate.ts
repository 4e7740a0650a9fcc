/**
 * A suite that needs a tool (helm, podman, postgres, chromium, ...) asks its gate first.
 *
 * - Tool present: the suite runs.
 * - Tool absent on a laptop: the suite is skipped and ONE line says why and how to get the tool.
 * - Tool absent with REQUIRE_ALL_SUITES=1 (CI): the suite fails at collection time, so CI can never
 *   pass while silently skipping a suite.
 */
export interface Gate {
  /** true when the suite may run */
  readonly ok: boolean;
  /** why it cannot run (empty when ok) */
  readonly reason: string;
}

export function requireAllSuites(): boolean {
  return process.env.REQUIRE_ALL_SUITES === "1" || process.env.REQUIRE_ALL_SUITES === "true";
}

const announced = new Set<string>();

/**
 * @param suite  a short name printed in the skip line, e.g. "chart (helm)"
 * @param missing  undefined when everything the suite needs is there, otherwise what is missing and
 *                 how to install it, e.g. "helm not found; go install helm.sh/helm/v3/cmd/helm@v3.18.6"
 */
export function suiteGate(suite: string, missing: string | undefined): Gate {
  if (missing === undefined) return { ok: true, reason: "" };
  if (requireAllSuites()) {
    throw new Error(`suite "${suite}" cannot run: ${missing} (REQUIRE_ALL_SUITES=1 forbids skipping)`);
  }
  if (!announced.has(suite)) {
    announced.add(suite);
    process.stderr.write(`[skip] ${suite}: ${missing}\n`);
  }
  return { ok: false, reason: missing };
}
