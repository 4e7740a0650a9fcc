/**
 * The runtime Pulumi.yaml declares really runs index.ts: Pulumi's nodejs host starts
 * `node <nodeargs> .../@pulumi/pulumi/cmd/run` and `require`s the program. Here the same node flags load
 * index.ts from its TypeScript sources (TypeScript 6, module nodenext) through Node's own type stripping, up
 * to the first thing it does outside Node, asking `minikube`, which this PATH lacks.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
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

  it("turns Pulumi's ts-node off, lets Node strip the types itself and preloads the compile cache and the deferred TypeScript", () => {
    expect(project.runtime).toEqual({
      name: "nodejs",
      options: {
        typescript: false,
        nodeargs: "--disable-warning=MODULE_TYPELESS_PACKAGE_JSON --import ./stack/runtime/compile-cache.ts --import ./stack/runtime/lazy-typescript.ts",
      },
    });
    expect(project.main).toBe("index.ts");
  });

  it("imports the stack's own files by their .ts names (Node resolves no extensionless path in an ES module)", () => {
    const files = ["index.ts", ...readdirSync(join(root, "stack"), { recursive: true, encoding: "utf8" }).map((f) => join("stack", f))];
    const extensionless = files
      .filter((file) => file.endsWith(".ts"))
      .flatMap((file) => [...readFileSync(join(root, file), "utf8").matchAll(/from "(\.\.?\/[^"]*)"/g)].map((m) => `${file}: ${m[1] ?? ""}`))
      .filter((hit) => !hit.endsWith(".ts"));
    expect(extensionless).toEqual([]);
  });

  it("with those node flags, @pulumi/pulumi loads without TypeScript's compiler, and serializing a function still loads and uses it", () => {
    const probe = [
      "const pulumi = require('@pulumi/pulumi');",
      "const loaded = () => Object.keys(require.cache).some((file) => file.includes('/node_modules/typescript/'));",
      "const before = loaded();",
      "pulumi.runtime.serializeFunction(() => 6 * 7).then((closure) =>",
      "  console.log(JSON.stringify({ before, after: loaded(), runs: closure.text.includes('6 * 7') })));",
    ].join("\n");
    const result = spawnSync(process.execPath, [...project.runtime.options.nodeargs.split(/\s+/), "-e", probe], { cwd: root, encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ before: false, after: true, runs: true });
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
      expect(output).not.toMatch(/SyntaxError|ERR_MODULE_NOT_FOUND|Cannot find module|MODULE_TYPELESS_PACKAGE_JSON|Warning/);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
