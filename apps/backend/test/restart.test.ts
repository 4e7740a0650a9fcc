import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { backends, createPostgresDatabase } from "./support/backends.ts";
import { postJson, signUpOverHttp, startServerProcess, type ServerProcess } from "./support/server-process.ts";

describe.each(backends)("conversation continuity across a process restart (%s)", (backend) => {
  const dataDir = mkdtempSync(join(tmpdir(), "backend-restart-"));
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.proc.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("a conversation started before a restart continues after it, with its history", async () => {
    const env: Record<string, string> = backend === "postgres" ? { DATABASE_URL: await createPostgresDatabase() } : { DATA_DIR: dataDir };
    server = await startServerProcess(env);
    const user = await signUpOverHttp(server.url, "restart");
    const first = await postJson(`${server.url}/api/${user.id}/chat`, { message: "Add a task to buy groceries" }, user.auth);
    expect(first.status).toBe(200);
    const { conversation_id } = (await first.json()) as { conversation_id: number };

    const stopped = await server.proc.stop("SIGTERM");
    expect(stopped.code).toBe(0);
    server = await startServerProcess(env);

    // the same token still works (sessions live in the database) and the conversation goes on
    const next = await postJson(`${server.url}/api/${user.id}/chat`, { conversation_id, message: "What's pending?" }, user.auth);
    expect(next.status).toBe(200);
    expect(((await next.json()) as { response: string }).response).toContain("Buy groceries");
    const history = (await (await fetch(`${server.url}/api/${user.id}/conversations/${conversation_id}/messages`, { headers: user.auth })).json()) as { role: string; content: string }[];
    expect(history.filter((m) => m.role === "user").map((m) => m.content)).toEqual(["Add a task to buy groceries", "What's pending?"]);
  }, 240_000);
});
