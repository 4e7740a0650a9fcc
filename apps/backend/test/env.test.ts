import { describe, expect, it } from "vitest";
import { startServerProcess } from "./support/server-process.ts";

describe("start-up configuration in production", () => {
  it.each([
    ["BETTER_AUTH_SECRET", { BETTER_AUTH_SECRET: "", DATABASE_URL: "postgres://todo@127.0.0.1:1/todo" }],
    ["DATABASE_URL", { BETTER_AUTH_SECRET: "a-long-enough-production-secret", DATABASE_URL: "" }],
  ])("a missing %s stops start-up with one line naming it", async (name, env) => {
    const { proc } = await startServerProcess({ NODE_ENV: "production", ...env }, { waitReady: false });
    const { code } = await proc.exited;
    expect(code).toBe(1);
    const lines = proc.output().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${name} is required when NODE_ENV=production`);
  });
});
