import { defineConfig } from "vitest/config";

export default defineConfig({ test: { name: "local-cluster", include: ["test/**/*.test.ts"] } });
