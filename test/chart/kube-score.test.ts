import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findExecutable, missingHelm, suiteGate } from "@todo/testkit";
import { renderChart, valueSets } from "../support/chart/index.js";

/**
 * kube-score's default checks on the rendered output. The checks below are waived on purpose; the chart
 * README ("kube-score, kube-linter and Checkov") gives the reasons.
 */
const waived = [
  "container-image-pull-policy", // Never for images built into Minikube; pinned tags otherwise
  "pod-probes-identical", // frontend: one dependency-free /healthz, liveness far more tolerant
  "deployment-replicas", // one replica per Deployment by default (a laptop); the scaled set has more
  "service-type", // NodePort is a deliberate choice for Minikube without a tunnel
];

const kubeScore = findExecutable("kube-score");
const gate = suiteGate(
  "chart (kube-score)",
  missingHelm() ?? (kubeScore ? undefined : "kube-score not found; go install github.com/zegl/kube-score/cmd/kube-score@v1.20.0"),
);

function score(manifest: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "kube-score-"));
  const file = join(dir, "rendered.yaml");
  writeFileSync(file, manifest);
  const args = ["score", file, "--output-format", "ci", ...waived.flatMap((test) => ["--ignore-test", test])];
  return new Promise((done) => {
    execFile(kubeScore ?? "kube-score", args, { encoding: "utf8", timeout: 60_000 }, (_error, stdout, stderr) => {
      rmSync(dir, { recursive: true, force: true });
      done(`${stdout}${stderr}`);
    });
  });
}

describe.skipIf(!gate.ok)("kube-score", () => {
  it.each(valueSets)("%s: no critical finding or warning beyond the documented waivers", async (valueSet) => {
    const { manifest } = await renderChart({ valueSet });
    const report = await score(manifest);
    expect(report).toMatch(/^\[OK\]/m);
    const findings = report.split("\n").filter((line) => /^\[(CRITICAL|WARNING)\]/.test(line));
    expect(findings).toEqual([]);
  });

  it("would report a finding (the check is live)", async () => {
    const { manifest } = await renderChart({ valueSet: "default", values: { frontend: { service: { type: "NodePort" } } } });
    // service-type is waived, so break something that is not: drop the backend's memory limit
    const report = await score(manifest.replace(/(\n\s+)memory: 512Mi/, "$1memory-typo: 512Mi"));
    expect(report).toMatch(/^\[CRITICAL\].*backend/m);
  });
});
