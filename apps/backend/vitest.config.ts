import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "backend",
    include: ["test/**/*.test.ts"],
    // one throwaway PostgreSQL cluster for the suite; every test file makes its own database in it
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
