import { readdirSync } from "node:fs";
import { defineConfig } from "vitest/config";

// One vitest project per suite: each app's own config, plus one per folder under test/
// (pulumi, chart, images, ...). `npm test -- --project chart` runs one suite.
const rootSuites = readdirSync(new URL("./test", import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !["fixtures", "support"].includes(entry.name))
  .map((entry) => ({
    extends: true as const,
    test: { name: entry.name, include: [`test/${entry.name}/**/*.test.ts`] },
  }));

export default defineConfig({
  test: {
    projects: ["packages/*/vitest.config.{ts,mts}", "apps/*/vitest.config.{ts,mts}", ...rootSuites],
  },
});
