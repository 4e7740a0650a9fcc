import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// One project, "frontend": unit tests (proxy headers, chat rendering) and the end-to-end suites
// (standalone build + real backend + PostgreSQL + Chromium), which are gated by suiteGate.
export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  test: {
    name: "frontend",
    include: ["test/**/*.test.{ts,tsx}"],
    environment: "node",
  },
});
