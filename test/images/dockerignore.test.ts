import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { contextFiles, isIgnored, parseDockerignore } from "./dockerignore.js";
import { repoRoot } from "./container-engine.js";

describe("the build context the daemon receives (.dockerignore)", () => {
  const rules = parseDockerignore(readFileSync(join(repoRoot, ".dockerignore"), "utf8"));

  it("keeps out dependencies, build output, secrets, tests and git, at any depth", () => {
    for (const path of [
      "node_modules",
      "apps/backend/node_modules",
      "apps/backend/dist",
      "apps/frontend/.next",
      ".env",
      "apps/backend/.env.local",
      ".npmrc",
      ".git",
      "apps/backend/test",
      "apps/frontend/src/lib/x.test.ts",
      "apps/chart",
      ".pulumi",
    ]) {
      expect(isIgnored(rules, path), path).toBe(true);
    }
  });

  it("keeps what the Dockerfiles copy", () => {
    for (const path of [
      "package.json",
      "package-lock.json",
      "tsconfig.base.json",
      "apps/backend/Dockerfile",
      "apps/backend/src/server.ts",
      "apps/backend/drizzle/0000_init.sql",
      "apps/frontend/scripts/copy-static.mjs",
      "packages/testkit/package.json",
    ]) {
      expect(isIgnored(rules, path), path).toBe(false);
    }
  });

  const dir = mkdtempSync(join(tmpdir(), "todo-dockerignore-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("honours a later !pattern and an excluded directory's whole subtree", () => {
    const files = ["keep.txt", "logs/a.log", "logs/important.log", "deep/x/node_modules/m/index.js", "deep/x/y.ts"];
    for (const file of files) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), "x");
    }
    writeFileSync(join(dir, ".dockerignore"), "# comment\n**/node_modules\nlogs/*.log\n!logs/important.log\n");
    expect(contextFiles(dir)).toEqual([".dockerignore", "deep/x/y.ts", "keep.txt", "logs/important.log"]);
  });
});
