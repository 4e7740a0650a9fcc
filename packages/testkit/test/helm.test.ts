/** The one helm runner: the CI version, failures as data or as errors that show helm's output, and the hint when helm is missing. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { HELM_VERSION, helm, helmInstallHint, helmOk, missingHelm, suiteGate } from "../src/index.ts";

const gate = suiteGate("testkit (helm)", missingHelm());

describe.skipIf(!gate.ok)("helm runner", () => {
  it("runs the helm version CI installs", async () => {
    const run = await helmOk(["version", "--short"]);
    expect(run.stdout.trim()).toMatch(new RegExp(`^${HELM_VERSION.replaceAll(".", "\\.")}(\\+|$)`));
  });

  it("resolves a failure with helm's exit code and message, and helmOk rejects with both", async () => {
    const missingChart = join(tmpdir(), "no-such-chart-for-the-helm-runner");
    const run = await helm(["template", "x", missingChart]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(missingChart);
    await expect(helmOk(["template", "x", missingChart])).rejects.toThrow(/helm template x .* failed \(exit \d+\):\n.*no-such-chart/s);
  });
});

describe("without helm", () => {
  const saved = { PATH: process.env.PATH, HOME: process.env.HOME };
  const empty = mkdtempSync(join(tmpdir(), "no-helm-"));
  afterEach(() => {
    process.env.PATH = saved.PATH;
    process.env.HOME = saved.HOME;
  });

  it("says how to install it, with the version", async () => {
    process.env.PATH = empty;
    process.env.HOME = empty;
    expect(missingHelm()).toBe(helmInstallHint);
    await expect(helm(["version"])).rejects.toThrow(`go install helm.sh/helm/v3/cmd/helm@${HELM_VERSION}`);
    rmSync(empty, { recursive: true, force: true });
  });
});
