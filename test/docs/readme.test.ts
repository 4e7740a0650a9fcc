import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { END, START, renderConfigTable } from "../../scripts/config-table.mjs";

const root = join(__dirname, "..", "..");
const read = (path: string): string => readFileSync(join(root, path), "utf8");

describe("README", () => {
  const readme = read("README.md");

  it("documents every stack config key exactly as Pulumi.yaml declares it", () => {
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    expect(start, "README.md must hold the config-table markers").toBeGreaterThanOrEqual(0);
    const documented = readme.slice(start + START.length, end).trim();
    expect(documented, "README config table is stale: run `npm run docs:config`").toBe(
      renderConfigTable(read("Pulumi.yaml")),
    );
    const keys = Object.keys((parse(read("Pulumi.yaml")) as { config: Record<string, unknown> }).config);
    for (const key of keys) expect(documented).toContain(`\`todo-chatbot:${key}\``);
  });

  it("gives the two commands: deploy and test", () => {
    expect(readme).toContain("npm run up");
    expect(readme).toContain("npm ci && npm test");
  });

  it("names a test command that exists and a .ci/run that calls it with every suite required", () => {
    const ci = read(".ci/run");
    expect(ci).toMatch(/REQUIRE_ALL_SUITES=1/);
    expect(ci).toMatch(/^npm ci && npm test$/m);
    const pkg = JSON.parse(read("package.json")) as { scripts: Record<string, string> };
    for (const script of ["test", "up", "preview", "down", "typecheck", "lint"]) expect(pkg.scripts[script]).toBeDefined();
  });

  it("links only to files that exist in the repository", () => {
    const links = [...readme.matchAll(/\]\((?!https?:|#|mailto:)([^)#\s]+)/g)].map((m) => m[1] as string);
    for (const link of links) expect(existsSync(join(root, link)), `README links to ${link}, which does not exist`).toBe(true);
  });
});
