import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadEnv } from "../src/env.ts";
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

describe("secrets from files (NAME_FILE, as the chart mounts its Secret)", () => {
  const dir = mkdtempSync(join(tmpdir(), "env-files-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const production = { NODE_ENV: "production" };

  it("reads every secret setting from its file; one trailing newline is dropped", () => {
    const env = loadEnv({
      ...production,
      DATABASE_URL_FILE: file("DATABASE_URL", "postgres://todo:from-a-file@db.example.test:5432/todo\n"),
      BETTER_AUTH_SECRET_FILE: file("BETTER_AUTH_SECRET", "file-auth-secret-0123456789abcdef\n"),
      OPENAI_API_KEY_FILE: file("OPENAI_API_KEY", "fake-key-from-a-file"),
    });
    expect(env.DATABASE_URL).toBe("postgres://todo:from-a-file@db.example.test:5432/todo");
    expect(env.BETTER_AUTH_SECRET).toBe("file-auth-secret-0123456789abcdef");
    expect(env.OPENAI_API_KEY).toBe("fake-key-from-a-file");
  });

  it("puts DATABASE_PASSWORD(_FILE) into a DATABASE_URL that has no password", () => {
    const env = loadEnv({
      ...production,
      BETTER_AUTH_SECRET: "a-long-enough-production-secret",
      DATABASE_URL: "postgres://todo@todo-chatbot-postgresql:5432/todo",
      DATABASE_PASSWORD_FILE: file("POSTGRES_PASSWORD", "pgPassw0rdFromSecret"),
    });
    expect(env.DATABASE_URL).toBe("postgres://todo:pgPassw0rdFromSecret@todo-chatbot-postgresql:5432/todo");
    expect(() =>
      loadEnv({ DATABASE_URL: "postgres://todo:inline@db:5432/todo", DATABASE_PASSWORD: "another" }),
    ).toThrow("DATABASE_URL already has a password and DATABASE_PASSWORD is set too");
    expect(() => loadEnv({ DATABASE_PASSWORD: "orphan" })).toThrow("DATABASE_PASSWORD is set without DATABASE_URL");
  });

  it("refuses NAME and NAME_FILE together, naming both", () => {
    const path = file("both", "file-auth-secret-0123456789abcdef");
    expect(() => loadEnv({ BETTER_AUTH_SECRET: "env-auth-secret-0123456789abcdef", BETTER_AUTH_SECRET_FILE: path })).toThrow(
      `BETTER_AUTH_SECRET and BETTER_AUTH_SECRET_FILE are both set: set only one (BETTER_AUTH_SECRET_FILE=${path}`,
    );
  });

  it("names the variable and the path of a file that is missing, unreadable or empty", () => {
    const missing = join(dir, "absent", "OPENAI_API_KEY");
    expect(() => loadEnv({ OPENAI_API_KEY_FILE: missing })).toThrow(
      new RegExp(`^OPENAI_API_KEY_FILE=${missing} cannot be read \\(ENOENT.*\\): mount the file there or unset OPENAI_API_KEY_FILE$`),
    );
    expect(() => loadEnv({ DATABASE_URL_FILE: dir })).toThrow(`DATABASE_URL_FILE=${dir} cannot be read (EISDIR`);
    const empty = file("empty", "\n");
    expect(() => loadEnv({ BETTER_AUTH_SECRET_FILE: empty })).toThrow(`BETTER_AUTH_SECRET_FILE=${empty} is empty`);
    if (process.getuid?.() !== 0) {
      const locked = file("locked", "secret-nobody-may-read-0123");
      chmodSync(locked, 0o000);
      expect(() => loadEnv({ BETTER_AUTH_SECRET_FILE: locked })).toThrow(`BETTER_AUTH_SECRET_FILE=${locked} cannot be read (EACCES`);
    }
  });

  it("an unreadable secret file stops the real server with one line naming the variable and the path", async () => {
    const missing = join(dir, "not-mounted", "BETTER_AUTH_SECRET");
    const { proc } = await startServerProcess(
      { NODE_ENV: "production", BETTER_AUTH_SECRET: "", BETTER_AUTH_SECRET_FILE: missing, DATABASE_URL: "postgres://todo@127.0.0.1:1/todo" },
      { waitReady: false },
    );
    const { code } = await proc.exited;
    expect(code).toBe(1);
    const lines = proc.output().trim().split("\n");
    expect(lines).toEqual([expect.stringContaining(`configuration error: BETTER_AUTH_SECRET_FILE=${missing} cannot be read`)]);
  });
});
