import { readdirSync, readFileSync, statSync } from "node:fs";
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
const takesTurns = (spec: TestSpecification): boolean => readFileSync(spec.moduleId, "utf8").includes("takeTurnsOnHost(");

/**
 * `npm test` runs test files side by side (scripts/run-tests.mjs sets VITEST_MAX_WORKERS). The files
 * that change the host take turns (packages/testkit/src/machine-lock.ts), so they form one line: the
 * largest of them (the live suite) first, every other file beside it, then the rest of them.
 */
class HostTurnsBesideTheRest extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const host = new Set(sorted.filter(takesTurns)); // each file read once
    const [first, ...restOfHost] = [...host].sort((a, b) => statSync(b.moduleId).size - statSync(a.moduleId).size);
    return first ? [first, ...sorted.filter((spec) => !host.has(spec)), ...restOfHost] : sorted;
  }
}

export default defineConfig({
  test: {
    sequence: { sequencer: HostTurnsBesideTheRest },
    projects: ["packages/*/vitest.config.{ts,mts}", "apps/*/vitest.config.{ts,mts}", ...rootSuites],
  },
});
