/**
 * One build at a time: `cluster.sh bin-dir` (the suites' gate) and `start` wait for a build in progress,
 * so the tests CI starts beside the cold build use its binaries instead of failing on missing ones.
 * In a cache directory of its own: nothing is built.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBesideABuild } from "@todo/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { clusterScript } from "../src/cluster.ts";

describe("cluster.sh beside a build in progress", () => {
  const cache = mkdtempSync(join(tmpdir(), "local-cluster-cache-"));
  const env = { ...process.env, LOCAL_CLUSTER_CACHE: cache };
  afterAll(() => rmSync(cache, { recursive: true, force: true }));

  it("bin-dir waits until the build ends, and says so", async () => {
    const binDir = execFileSync("bash", [clusterScript, "bin-dir"], { env, encoding: "utf8" }).trim();
    mkdirSync(binDir, { recursive: true });
    const run = await runBesideABuild(join(binDir, ".build.lock"), clusterScript, ["bin-dir"], env);
    expect(run.stderr).toMatch(/being built .*waiting for it/);
    expect(run.returnedAfterTheBuild).toBe(true);
  });
});
