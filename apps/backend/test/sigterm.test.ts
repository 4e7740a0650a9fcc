import { afterAll, describe, expect, it } from "vitest";
import { createPostgresDatabase, postgresGate } from "./support/backends.ts";
import { startFakeOpenAI } from "./support/fake-openai.ts";
import { postJson, signUpOverHttp, startServerProcess, type ServerProcess } from "./support/server-process.ts";

describe.skipIf(!postgresGate.ok)("graceful SIGTERM (postgres)", () => {
  let server: ServerProcess | undefined;
  let fake: Awaited<ReturnType<typeof startFakeOpenAI>> | undefined;
  afterAll(async () => {
    await server?.proc.stop("SIGKILL");
    await fake?.close();
  });

  it("finishes every in-flight request, refuses new connections, closes the pool and exits 0", async () => {
    // a slow model keeps the chat requests in flight while SIGTERM arrives
    fake = await startFakeOpenAI((request) => {
      const last = request.messages.at(-1);
      if (last?.role === "tool") return { text: "Added." };
      return { tool: { name: "add_task", arguments: { title: `task from request ${request.messages.length}` } } };
    }, 1_500);
    const databaseUrl = await createPostgresDatabase();
    server = await startServerProcess({ DATABASE_URL: databaseUrl, OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: fake.baseUrl });
    const user = await signUpOverHttp(server.url, "sigterm");

    const inFlight = Array.from({ length: 8 }, () => postJson(`${server!.url}/api/${user.id}/chat`, { message: "add something" }, user.auth));
    while (fake.requests.length < 8) await new Promise((r) => setTimeout(r, 50));

    const exited = server.proc.stop("SIGTERM", 15_000);
    await new Promise((r) => setTimeout(r, 200));
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();

    const statuses = await Promise.all(inFlight.map(async (p) => (await p).status));
    expect(statuses).toEqual(Array(8).fill(200));
    const { code } = await exited;
    expect(code).toBe(0);
    expect(server.proc.output()).toMatch(/"msg":"stopped"/);

    // nothing was lost: all eight tasks are in the database
    server = await startServerProcess({ DATABASE_URL: databaseUrl });
    const tasks = (await (await fetch(`${server.url}/api/${user.id}/tasks`, { headers: user.auth })).json()) as unknown[];
    expect(tasks).toHaveLength(8);
  }, 240_000);
});
