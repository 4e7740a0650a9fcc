/**
 * One build at a time: `pulumi-engine.sh --path` (the suites' gate) waits for a build in progress, so
 * the tests CI starts beside the cold build find the engine instead of "not built". In a cache
 * directory of its own: nothing is built, so --path then exits 1.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBesideABuild } from "@todo/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { engineScript } from "../src/workspace.ts";

describe("pulumi-engine.sh beside a build in progress", () => {
  const cache = mkdtempSync(join(tmpdir(), "pulumi-engine-cache-"));
  afterAll(() => rmSync(cache, { recursive: true, force: true }));

  it("--path waits until the build ends, and says so", async () => {
    const run = await runBesideABuild(join(cache, ".build.lock"), engineScript, ["--path"], { ...process.env, PULUMI_ENGINE_CACHE: cache });
    expect(run.stderr).toMatch(/being built .*waiting for it/);
    expect(run.returnedAfterTheBuild).toBe(true);
  });
});
