import { readdirSync, readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import { hostOrder, takesTurnsOnHost } from "./scripts/test-lanes.mts";

// One vitest project per suite: each app's own config, plus one per folder under test/
// (pulumi, chart, images, ...). `npm test -- --project chart` runs one suite.
const rootSuites = readdirSync(new URL("./test", import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !["fixtures", "support"].includes(entry.name))
  .map((entry) => ({
    extends: true as const,
    test: { name: entry.name, include: [`test/${entry.name}/**/*.test.ts`] },
  }));

/**
 * The files that change the host take turns on a lock (packages/testkit/src/machine-lock.ts), in the
 * order of scripts/test-lanes.mts: those a cold CI machine can start first (no Go-built tool, then the
 * local cluster, then the Pulumi engine), the largest first among equals. The whole suite (`npm test`
 * without arguments) runs them in a lane of their own, one at a time, beside the other files; in any
 * other run, the first of them runs beside the other files and the rest of them follow.
 */
class HostTurnsBesideTheRest extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const read = sorted.map((spec) => ({ file: spec, source: readFileSync(spec.moduleId, "utf8") })); // each file read once
    const [first, ...restOfHost] = hostOrder(read.filter(({ source }) => takesTurnsOnHost(source)));
    if (!first) return sorted;
    const isHost = new Set([first, ...restOfHost]);
    return [first, ...sorted.filter((spec) => !isHost.has(spec)), ...restOfHost];
  }
}

export default defineConfig({
  test: {
    sequence: { sequencer: HostTurnsBesideTheRest },
    projects: ["packages/*/vitest.config.{ts,mts}", "apps/*/vitest.config.{ts,mts}", ...rootSuites],
  },
});
