import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { hostOrder, readiness, takesTurnsOnHost } from "../../scripts/test-lanes.mts";

const root = join(__dirname, "..", "..");

/** Every test file of the repository (what the vitest projects include), with its source. */
function testFiles(): { file: string; source: string }[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.test\.tsx?$/.test(entry.name)) found.push(relative(root, path));
    }
  };
  for (const top of ["apps", "packages", "test"]) walk(join(root, top));
  return found.map((file) => ({ file, source: readFileSync(join(root, file), "utf8") }));
}

describe("npm test's host lane (scripts/test-lanes.mts)", () => {
  const host = testFiles().filter(({ source }) => takesTurnsOnHost(source));

  it("holds the files that change the host, and only those", () => {
    const files = host.map(({ file }) => file);
    expect(files).toEqual(
      expect.arrayContaining(["test/live/deploy.test.ts", "test/cluster/chart-on-node.test.ts", "test/images/images.test.ts", "packages/local-cluster/test/cluster.test.ts"]),
    );
    expect(files).not.toContain("apps/backend/test/auth.test.ts");
    expect(files).not.toContain("test/tooling/test-lanes.test.ts");
  });

  it("runs first what a cold machine can start first: no Go-built tool, then the local cluster, then the Pulumi engine", () => {
    const order = hostOrder(host);
    const ranks = order.map((file) => readiness(host.find((h) => h.file === file)?.source ?? ""));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(new Set(ranks)).toEqual(new Set([0, 1, 2]));
    // the suites that build the images into podman and into the node's data-root come before live, which reuses their layers
    const at = (file: string): number => order.indexOf(file);
    expect(at("test/images/images.test.ts")).toBeLessThan(at("test/live/deploy.test.ts"));
    expect(at("test/cluster/chart-on-node.test.ts")).toBeLessThan(at("test/live/deploy.test.ts"));
    expect(readiness(host.find(({ file }) => file === "test/live/deploy.test.ts")?.source ?? "")).toBe(2);
  });
});
