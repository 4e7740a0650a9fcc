import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "./support/backends.ts";
import { connectMcp } from "./support/mcp-client.ts";
import { createTestApp, type SignedInUser, type TestApp } from "./support/test-app.ts";

describe.each(backends)("a failing MCP tool answers a generic error with the request id (%s)", (backend) => {
  let t: TestApp;
  let user: SignedInUser;
  beforeAll(async () => {
    t = await createTestApp(backend);
    user = await t.signUp("mcp-errors");
    // the database refuses every task write, with a message that must not reach the client
    await t.database.db.execute(
      sql.raw(`CREATE FUNCTION refuse_task() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'internal detail from the database'; END $$`),
    );
    await t.database.db.execute(sql.raw(`CREATE TRIGGER refuse_task BEFORE INSERT OR UPDATE ON tasks FOR EACH ROW EXECUTE FUNCTION refuse_task()`));
  });
  afterAll(() => t?.close());

  it("POST /mcp: no SQL, no parameters, no database message; the request id instead", async () => {
    const mcp = await connectMcp(t, user.token, { "x-request-id": "req-mcp-errors-1" });
    try {
      const { isError, value } = await mcp.call("add_task", { title: "Secret title 123", description: "secret notes" });
      expect(isError).toBe(true);
      const text = JSON.stringify(value);
      expect(value).toEqual({ error: "add_task failed on our side and changed nothing (request id req-mcp-errors-1)" });
      for (const leak of ["insert", "Secret title", "secret notes", "internal detail", user.id]) expect(text).not.toContain(leak);
    } finally {
      await mcp.client.close();
    }
  });

  it("a NUL byte in a title is refused naming the field, before the database sees it", async () => {
    const mcp = await connectMcp(t, user.token);
    try {
      const result = await mcp.client.callTool({ name: "add_task", arguments: { title: "bad\u0000title" } });
      expect(result.isError).toBe(true);
      const text = JSON.stringify(result.content);
      expect(text).toContain("title");
      expect(text).toContain("must not contain a NUL character");
      expect(text).not.toMatch(/insert|internal detail/i);
    } finally {
      await mcp.client.close();
    }
  });

  it("chat: the stored tool call and the reply carry the same generic error", async () => {
    const response = await t.call("POST", `/api/${user.id}/chat`, {
      json: { message: "Add a task to buy secret milk" },
      headers: { ...user.auth, "x-request-id": "req-chat-errors-1" },
    });
    expect(response.status).toBe(200);
    const reply = (await response.json()) as { response: string; tool_calls: { result: unknown }[] };
    expect(reply.tool_calls[0]?.result).toEqual({ error: "add_task failed on our side and changed nothing (request id req-chat-errors-1)" });
    expect(JSON.stringify(reply)).not.toMatch(/insert into|internal detail|params/i);
  });
});
