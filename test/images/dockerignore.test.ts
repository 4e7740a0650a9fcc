/**
 * The build contexts the daemon receives: each Dockerfile's own ignore file (what the builds read, not
 * /.dockerignore), through the stack's one .dockerignore engine, on the real repository tree.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dockerfileIgnores, renderDockerfileIgnore } from "../../scripts/dockerignore";
import { buildContextFiles, isIgnored, loadIgnoreRules, parseDockerignore } from "../../stack/image/dockerignore";
import { repoRoot } from "./container-engine.js";

const apps = ["backend", "frontend"] as const;
const dockerfile = (app: string): string => `apps/${app}/Dockerfile`;
const other = (app: (typeof apps)[number]): string => (app === "backend" ? "frontend" : "backend");

describe.each(apps)("the %s image's build context", (app) => {
  const rules = loadIgnoreRules(repoRoot, dockerfile(app));
  const files = buildContextFiles(repoRoot, dockerfile(app));

  it("is ruled by the Dockerfile's own ignore file, not /.dockerignore", () => {
    const own = join(repoRoot, `${dockerfile(app)}.dockerignore`);
    expect(existsSync(own)).toBe(true);
    expect(rules).toEqual(parseDockerignore(readFileSync(own, "utf8")));
  });

  it("keeps out dependencies, build output, secrets, tests, git, the chart and the stack, at any depth", () => {
    for (const path of [
      "node_modules/x/index.js",
      `apps/${app}/node_modules/x/index.js`,
      `apps/${app}/dist/server.js`,
      "apps/frontend/.next/BUILD_ID",
      ".env",
      `apps/${app}/.env`,
      `apps/${app}/.env.local`,
      `apps/${app}/.npmrc`,
      ".git/HEAD",
      `apps/${app}/test/x.test.ts`,
      `apps/${app}/src/lib/x.test.ts`,
      "apps/chart/values.yaml",
      "stack/image/app-image.ts",
      "tools/diagnose/diagnose.mjs",
      "packages/pulumi-engine/pulumi-engine.sh",
      "Pulumi.dev.yaml",
      `apps/${app}/README.md`,
    ]) {
      expect(isIgnored(rules, path), path).toBe(true);
    }
    expect(files.filter((f) => /(^|\/)(node_modules|\.env[^/]*|\.npmrc|\.git|test)(\/|$)/.test(f))).toEqual([]);
  });

  it("holds what the Dockerfile copies and, of the other app, only its package.json", () => {
    for (const path of ["package.json", "package-lock.json", "tsconfig.base.json", "packages/testkit/package.json", `apps/${app}/package.json`]) {
      expect(files, path).toContain(path);
    }
    expect(files.filter((f) => f.startsWith(`apps/${app}/src/`)).length).toBeGreaterThan(0);
    expect(files.filter((f) => f.startsWith(`apps/${other(app)}/`))).toEqual([`apps/${other(app)}/package.json`]);
  });
});

describe("the ignore files are generated, each fact written once", () => {
  it("every apps/*/Dockerfile.dockerignore is what `npm run gen:dockerignore` renders from /.dockerignore and its Dockerfile", () => {
    const entries = dockerfileIgnores();
    expect(entries.map((e) => e.file)).toEqual(apps.map((app) => `${dockerfile(app)}.dockerignore`));
    for (const entry of entries) expect(entry.current, `${entry.file} is stale: run \`npm run gen:dockerignore\``).toBe(entry.expected);
  });

  it("renders an allowlist of the COPY sources followed by the shared exclusions", () => {
    const text = renderDockerfileIgnore(
      "apps/x/Dockerfile",
      "FROM scratch\nCOPY package.json apps/x/package.json ./\nCOPY --from=build /out /out\nCOPY apps/x/ apps/x/\n",
      "# header\n\n# secrets\n**/.env\n",
    );
    const rules = parseDockerignore(text);
    expect(rules.map((r) => `${r.negate ? "!" : ""}${r.pattern}`)).toEqual(["*", "!apps/x", "!package.json", "**/.env"]);
    expect(text).toContain("# secrets\n**/.env");
  });

  it("adds no allowlist when the Dockerfile may read the whole context", () => {
    const rules = parseDockerignore(renderDockerfileIgnore("Dockerfile", "FROM scratch\nCOPY . /app\n", "**/.env\n"));
    expect(rules.map((r) => r.pattern)).toEqual(["**/.env"]);
  });
});

describe("the .dockerignore engine on a tree", () => {
  const dir = mkdtempSync(join(tmpdir(), "todo-dockerignore-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("honours a later !pattern, an excluded directory's whole subtree and <Dockerfile>.dockerignore first", () => {
    const files = ["keep.txt", "logs/a.log", "logs/important.log", "deep/x/node_modules/m/index.js", "deep/x/y.ts", "app/Dockerfile"];
    for (const file of files) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), "x");
    }
    writeFileSync(join(dir, ".dockerignore"), "# comment\n**/node_modules\nlogs/*.log\n!logs/important.log\n");
    expect(buildContextFiles(dir, "Dockerfile")).toEqual([".dockerignore", "app/Dockerfile", "deep/x/y.ts", "keep.txt", "logs/important.log"]);
    writeFileSync(join(dir, "app", "Dockerfile.dockerignore"), "*\n!app\n");
    expect(buildContextFiles(dir, "app/Dockerfile")).toEqual(["app/Dockerfile", "app/Dockerfile.dockerignore"]);
  });
});
