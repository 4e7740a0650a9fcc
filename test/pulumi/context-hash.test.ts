import { appendFileSync, copyFileSync, type Dirent, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 }); // a busy CI machine, not a timed assertion
import { contextHash } from "../../stack/image/context-hash";
import { dockerfileSources } from "../../stack/image/dockerfile-sources";
import { couldReinclude, isIgnored, listContextFiles, parseDockerignore } from "../../stack/image/dockerignore";

const repo = join(__dirname, "..", "..");
const apps = ["backend", "frontend"] as const;
type App = (typeof apps)[number];

function tags(contextDir: string): Record<App, string> {
  return {
    backend: contextHash({ contextDir, dockerfile: "apps/backend/Dockerfile" }).tag,
    frontend: contextHash({ contextDir, dockerfile: "apps/frontend/Dockerfile" }).tag,
  };
}

describe("image tags are a hash of what each Dockerfile reads from the context", () => {
  let copy: string;
  let original: Record<App, string>;

  beforeAll(() => {
    // a temp copy of the build context (what `docker build .` would send, per .dockerignore)
    copy = mkdtempSync(join(tmpdir(), "context-hash-"));
    const files = listContextFiles(repo, parseDockerignore("node_modules\n**/node_modules\n.git\n**/.next\n**/dist"));
    for (const file of files) {
      mkdirSync(dirname(join(copy, file)), { recursive: true });
      copyFileSync(join(repo, file), join(copy, file));
    }
    original = tags(copy);
  });
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it("gives the same tag for the same context, and a faithful copy the same tags as the repository", () => {
    expect(tags(copy)).toEqual(original);
    expect(tags(repo)).toEqual(original);
    expect(original.backend).toMatch(/^[0-9a-f]{16}$/);
    expect(original.backend).not.toBe(original.frontend);
  });

  it.each(apps)("changes only the %s tag when one of its source files changes", (app) => {
    const sources = contextHash({ contextDir: copy, dockerfile: `apps/${app}/Dockerfile` }).files.filter((f) =>
      f.startsWith(`apps/${app}/src/`),
    );
    expect(sources.length, `no source file of ${app} in the context`).toBeGreaterThan(0);
    const file = join(copy, sources[0] as string);
    appendFileSync(file, "\n// changed\n");
    const after = tags(copy);
    const other = app === "backend" ? "frontend" : "backend";
    expect(after[app]).not.toBe(original[app]);
    expect(after[other]).toBe(original[other]);
    // and back: the tag is a pure function of the content
    writeFileSync(file, readWithoutMarker(file));
    expect(tags(copy)).toEqual(original);
  });

  it("ignores changes under paths .dockerignore leaves out (tests, node_modules, docs, .env)", () => {
    const ignored = [
      "apps/backend/test/added.test.ts",
      "apps/frontend/src/app/page.test.tsx",
      "apps/backend/node_modules/left-pad/index.js",
      "apps/frontend/.next/cache/x",
      "docs/notes.md",
      "apps/backend/.env",
      "README.md",
    ];
    for (const path of ignored) {
      mkdirSync(dirname(join(copy, path)), { recursive: true });
      writeFileSync(join(copy, path), "anything");
    }
    expect(tags(copy)).toEqual(original);
    for (const path of ignored) rmSync(join(copy, path));
  });

  it("ignores files no COPY of that Dockerfile reaches (the chart, the Pulumi program)", () => {
    writeFileSync(join(copy, "scratch-not-copied.txt"), "x");
    expect(tags(copy)).toEqual(original);
    rmSync(join(copy, "scratch-not-copied.txt"));
  });

  it("changes both tags when a manifest both Dockerfiles copy changes (package-lock.json)", () => {
    const lock = join(copy, "package-lock.json");
    appendFileSync(lock, " ");
    const after = tags(copy);
    expect(after.backend).not.toBe(original.backend);
    expect(after.frontend).not.toBe(original.frontend);
  });
});

function readWithoutMarker(file: string): string {
  return readFileSync(file, "utf8").replace(/\n\/\/ changed\n$/, "");
}

describe(".dockerignore matching", () => {
  const rules = parseDockerignore(
    ["# comment", "**/node_modules", "*.md", "!README.md", "docs", "/secret.txt", "apps/*/tmp?", "**/*.test.ts"].join("\n"),
  );
  it.each([
    ["apps/backend/node_modules/x/index.js", true],
    ["node_modules/a", true],
    ["CHANGELOG.md", true],
    ["README.md", false],
    ["apps/README.md", false], // "*.md" matches only at the root
    ["docs/a/b.txt", true],
    ["secret.txt", true],
    ["apps/backend/tmp1/x", true],
    ["apps/backend/tmp12/x", false],
    ["apps/backend/src/a.test.ts", true],
    ["apps/backend/src/a.ts", false],
  ])("%s ignored: %s", (path, expected) => {
    expect(isIgnored(rules, path)).toBe(expected);
  });
});

describe("walking a context with an allowlist .dockerignore", () => {
  const allowlist = parseDockerignore(["*", "!package.json", "!apps/backend", "!**/keep.txt", "**/node_modules"].join("\n"));
  let tree: string;
  beforeAll(() => {
    tree = mkdtempSync(join(tmpdir(), "context-walk-"));
    for (const file of [
      "package.json",
      "README.md",
      "node_modules/a/index.js",
      "node_modules/a/keep.txt",
      "apps/backend/src/x.ts",
      "apps/backend/node_modules/b/index.js",
      "apps/frontend/src/y.ts",
      "apps/frontend/deep/keep.txt",
    ]) {
      mkdirSync(dirname(join(tree, file)), { recursive: true });
      writeFileSync(join(tree, file), file);
    }
  });
  afterAll(() => rmSync(tree, { recursive: true, force: true }));

  it("skips only directories no ! rule can reach, and lists what Docker would send", () => {
    expect(couldReinclude(allowlist, "node_modules")).toBe(true); // "!**/keep.txt" reaches anywhere
    expect(couldReinclude(parseDockerignore("*\n!apps/backend"), "node_modules")).toBe(false);
    expect(couldReinclude(parseDockerignore("*\n!apps/backend"), "apps")).toBe(true);
    expect(couldReinclude(parseDockerignore("*\n!apps/backend"), "apps/frontend")).toBe(false);
    // "!apps/frontend" then "**/node_modules": nothing inside apps/frontend/node_modules can come back
    expect(couldReinclude(parseDockerignore("*\n!apps/frontend\n**/node_modules"), "apps/frontend/node_modules")).toBe(false);
    expect(couldReinclude(parseDockerignore("*\n!apps/frontend/node_modules/x\n**/node_modules"), "apps/frontend/node_modules")).toBe(true);
    // the same as filtering every file, and "**/node_modules" (last) wins over "!**/keep.txt" inside node_modules
    const everyFile = (readdirSync(tree, { recursive: true, withFileTypes: true }) as Dirent[])
      .filter((entry) => entry.isFile())
      .map((entry) => relative(tree, join(entry.parentPath, entry.name)).split(sep).join("/"));
    const expected = everyFile.filter((file) => !isIgnored(allowlist, file)).sort();
    expect(expected).toEqual(["apps/backend/src/x.ts", "apps/frontend/deep/keep.txt", "package.json"]);
    expect(listContextFiles(tree, allowlist)).toEqual(expected);
  });
});

describe("Dockerfile COPY sources", () => {
  it("keeps context sources and skips --from copies", () => {
    const sources = dockerfileSources(
      [
        "FROM node AS deps",
        "COPY package.json package-lock.json ./",
        "COPY --chown=1000:1000 apps/backend/ \\",
        "     apps/backend/",
        'COPY ["tsconfig.base.json", "./"]',
        "COPY --from=deps /app/node_modules ./node_modules",
        "ADD https://example.com/x.tgz /tmp/",
      ].join("\n"),
    );
    expect(sources).toEqual({ wholeContext: false, paths: ["apps/backend", "package-lock.json", "package.json", "tsconfig.base.json"] });
  });
  it("falls back to the whole context for `COPY . .`, variables and bind mounts", () => {
    expect(dockerfileSources("COPY . /app").wholeContext).toBe(true);
    expect(dockerfileSources("ARG APP\nCOPY apps/$APP /app").wholeContext).toBe(true);
    expect(dockerfileSources("RUN --mount=type=bind,target=/src make").wholeContext).toBe(true);
  });
});
