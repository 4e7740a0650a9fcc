import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { README_END, README_START, renderReadmeTable } from "../../scripts/config-table";
import { CONFIG_KEY_NAMES } from "../../stack/config/keys";

const root = join(__dirname, "..", "..");
const read = (path: string): string => readFileSync(join(root, path), "utf8");

describe("README", () => {
  const readme = read("README.md");

  it("documents every stack config key by the table `npm run docs:config` renders from stack/config/keys.ts", () => {
    const start = readme.indexOf(README_START);
    const end = readme.indexOf(README_END);
    expect(start, "README.md must hold the config-table markers").toBeGreaterThanOrEqual(0);
    expect(end, "README.md must hold the config-table end marker after the start").toBeGreaterThan(start);
    const documented = readme.slice(start + README_START.length, end).trim();
    expect(documented, "README config table is stale: run `npm run docs:config`").toBe(renderReadmeTable());
    // one row per key, in the table's order (not a loop that could run zero times: the lists are compared)
    const rows = documented.split("\n").slice(2);
    expect(rows.map((row) => /^\| `todo-chatbot:(\w+)` \|/.exec(row)?.[1])).toEqual(CONFIG_KEY_NAMES);
    expect(rows.length).toBeGreaterThan(20);
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
    for (const script of ["test", "up", "preview", "down", "typecheck", "lint", "docs:config"]) expect(pkg.scripts[script], script).toBeDefined();
  });

  it("links only to files that exist in the repository", () => {
    const links = [...readme.matchAll(/\]\((?!https?:|#|mailto:)([^)#\s]+)/g)].map((m) => m[1] as string);
    // the README links to its docs and apps; an extraction that finds none would check nothing
    expect(links).toEqual(expect.arrayContaining(["docs/aiops.md"]));
    const missing = links.filter((link) => !existsSync(join(root, link)));
    expect(missing, "README links to files that do not exist").toEqual([]);
  });
});
