import { defineConfig } from "vitest/config";

export default defineConfig({ test: { name: "pulumi-engine", include: ["test/**/*.test.ts"] } });
