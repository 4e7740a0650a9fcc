import { readdirSync, readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

// One vitest project per suite: each app's own config, plus one per folder under test/
// (pulumi, chart, images, ...). `npm test -- --project chart` runs one suite.
const rootSuites = readdirSync(new URL("./test", import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !["fixtures", "support"].includes(entry.name))
  .map((entry) => ({
    extends: true as const,
    test: { name: entry.name, include: [`test/${entry.name}/**/*.test.ts`] },
  }));

/** The files that start clusters, daemons or container builds take turns on the host (takeTurnsOnHost). */
const takesTurns = (source: string): boolean => source.includes("takeTurnsOnHost(");
/** The files whose gate waits for the Go-built cluster or engine (CI starts the tests beside those builds). */
const waitsForBuilds = (source: string): boolean => source.includes("missingCluster(") || source.includes("enginePath(");

/**
 * `npm test` runs test files side by side (scripts/run-tests.mjs sets VITEST_MAX_WORKERS). The files
 * that change the host take turns (packages/testkit/src/machine-lock.ts), so they form one line: the
 * largest of them (the live suite) first, every other file beside it, then the rest of them: first those
 * that need no Go-built tool (they run while a cold CI machine still builds them), then the largest first.
 */
class HostTurnsBesideTheRest extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const host = sorted
      .map((spec) => ({ spec, source: readFileSync(spec.moduleId, "utf8") })) // each file read once
      .filter(({ source }) => takesTurns(source))
      .map(({ spec, source }) => ({ spec, size: source.length, builds: waitsForBuilds(source) }))
      .sort((a, b) => b.size - a.size);
    const [first, ...restOfHost] = host;
    if (!first) return sorted;
    const isHost = new Set(host.map(({ spec }) => spec));
    const rest = restOfHost.sort((a, b) => Number(a.builds) - Number(b.builds)); // stable: largest first within each
    return [first.spec, ...sorted.filter((spec) => !isHost.has(spec)), ...rest.map(({ spec }) => spec)];
  }
}

export default defineConfig({
  test: {
    sequence: { sequencer: HostTurnsBesideTheRest },
    projects: ["packages/*/vitest.config.{ts,mts}", "apps/*/vitest.config.{ts,mts}", ...rootSuites],
  },
});
