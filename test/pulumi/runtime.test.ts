/**
 * The runtime Pulumi.yaml declares really runs index.ts: Pulumi's nodejs host starts
 * `node <nodeargs> .../@pulumi/pulumi/cmd/run` and `require`s the program. Here the same node flags load
 * index.ts from its TypeScript sources (TypeScript 6, module nodenext) up to the first thing it does
 * outside Node, asking `minikube`, which this PATH lacks.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { parse } from "yaml";

vi.setConfig({ testTimeout: 120_000 }); // a busy CI machine, not a timed assertion

const root = join(__dirname, "..", "..");

interface Project {
  runtime: { name: string; options: { typescript: boolean; nodeargs: string } };
  main: string;
}

describe("the Pulumi nodejs runtime setup", () => {
  const project = parse(readFileSync(join(root, "Pulumi.yaml"), "utf8")) as Project;
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> };

  it("turns Pulumi's ts-node off and loads TypeScript through tsx, a runtime dependency", () => {
    expect(project.runtime).toEqual({ name: "nodejs", options: { typescript: false, nodeargs: "--import tsx" } });
    expect(project.main).toBe("index.ts");
    expect(pkg.dependencies.tsx).toBeDefined();
  });

  it("runs index.ts with those node flags, as far as asking minikube", () => {
    const bin = mkdtempSync(join(tmpdir(), "pulumi-runtime-"));
    try {
      symlinkSync(process.execPath, join(bin, "node"));
      const nodeargs = project.runtime.options.nodeargs.split(/\s+/);
      const result = spawnSync(process.execPath, [...nodeargs, "-e", "require('./' + process.argv[1])", project.main], {
        cwd: root,
        encoding: "utf8",
        env: { PATH: bin, HOME: bin },
      });
      const output = `${result.stdout}${result.stderr}`;
      expect(output).toContain('minikube is not installed (or not on PATH), and the stack needs it to find the Docker daemon and kube context of profile "minikube"');
      expect(output).not.toMatch(/SyntaxError|ERR_MODULE_NOT_FOUND|Cannot find module/);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
