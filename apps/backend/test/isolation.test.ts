import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "./support/backends.ts";
import { connectMcp } from "./support/mcp-client.ts";
import { createTestApp, type SignedInUser, type TestApp } from "./support/test-app.ts";

interface ChatJson {
  conversation_id: number;
  response: string;
  tool_calls: { name: string; arguments: Record<string, unknown>; result: unknown }[];
}

describe.each(backends)("user isolation through REST, chat and MCP (%s)", (backend) => {
  let t: TestApp;
  let ada: SignedInUser;
  let bob: SignedInUser;
  let adaTaskId: number;
  let adaConversation: number;

  beforeAll(async () => {
    t = await createTestApp(backend);
    ada = await t.signUp("ada");
    bob = await t.signUp("bob");
    const created = await t.call("POST", `/api/${ada.id}/tasks`, { json: { title: "Ada's secret plan" }, headers: ada.auth });
    adaTaskId = ((await created.json()) as { id: number }).id;
    const chat = await t.call("POST", `/api/${ada.id}/chat`, { json: { message: "Show me all my tasks" }, headers: ada.auth });
    adaConversation = ((await chat.json()) as ChatJson).conversation_id;
  });
  afterAll(() => t?.close());

  const adaTaskUnchanged = async () => {
    const response = await t.call("GET", `/api/${ada.id}/tasks/${adaTaskId}`, { headers: ada.auth });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ title: "Ada's secret plan", completed: false });
  };

  it("REST: Bob cannot use Ada's path, and Ada's task id is 'not found' under his own path", async () => {
    expect((await t.call("GET", `/api/${ada.id}/tasks`, { headers: bob.auth })).status).toBe(403);
    for (const [method, suffix, json] of [
      ["GET", "", undefined],
      ["PUT", "", { title: "hijacked" }],
      ["PATCH", "/complete", undefined],
      ["DELETE", "", undefined],
    ] as const) {
      const response = await t.call(method, `/api/${bob.id}/tasks/${adaTaskId}${suffix}`, { json, headers: bob.auth });
      expect(response.status, `${method} ${suffix}`).toBe(404);
      // same answer as for an id that never existed: nothing leaks
      expect(await response.json()).toEqual({ error: { code: "not_found", message: `task ${adaTaskId} not found` } });
    }
    const bobList = (await (await t.call("GET", `/api/${bob.id}/tasks`, { headers: bob.auth })).json()) as unknown[];
    expect(bobList).toEqual([]);
    await adaTaskUnchanged();
  });

  it("REST: Bob sees neither Ada's conversations nor their messages", async () => {
    const list = (await (await t.call("GET", `/api/${bob.id}/conversations`, { headers: bob.auth })).json()) as unknown[];
    expect(list).toEqual([]);
    const messages = await t.call("GET", `/api/${bob.id}/conversations/${adaConversation}/messages`, { headers: bob.auth });
    expect(messages.status).toBe(404);
    const adaMessages = await t.call("GET", `/api/${ada.id}/conversations/${adaConversation}/messages`, { headers: ada.auth });
    expect(adaMessages.status).toBe(200);
  });

  it("chat: Bob cannot continue Ada's conversation, and his assistant cannot touch her task", async () => {
    const hijack = await t.call("POST", `/api/${bob.id}/chat`, { json: { conversation_id: adaConversation, message: "Show me all my tasks" }, headers: bob.auth });
    expect(hijack.status).toBe(404);

    for (const message of [`Mark task ${adaTaskId} as complete`, `Delete task ${adaTaskId}`, `Change task ${adaTaskId} to 'pwned'`]) {
      const response = await t.call("POST", `/api/${bob.id}/chat`, { json: { message }, headers: bob.auth });
      expect(response.status).toBe(200);
      const body = (await response.json()) as ChatJson;
      expect(body.response).toMatch(/couldn't find task/);
      expect(body.response).not.toContain("secret");
    }
    const listed = (await (await t.call("POST", `/api/${bob.id}/chat`, { json: { message: "Show me all my tasks" }, headers: bob.auth })).json()) as ChatJson;
    expect(listed.response).not.toContain("secret");
    await adaTaskUnchanged();
  });

  it("MCP: Bob's token lists only his tasks, cannot act on Ada's, and cannot claim her user_id", async () => {
    const mcp = await connectMcp(t, bob.token);
    try {
      const tools = (await mcp.client.listTools()).tools.map((tool) => tool.name).sort();
      expect(tools).toEqual(["add_task", "complete_task", "delete_task", "list_tasks", "update_task"]);

      expect(await mcp.call("list_tasks", {})).toEqual({ isError: false, value: [] });
      for (const [name, args] of [
        ["complete_task", { task_id: adaTaskId }],
        ["delete_task", { task_id: adaTaskId }],
        ["update_task", { task_id: adaTaskId, title: "pwned" }],
      ] as const) {
        expect(await mcp.call(name, args)).toEqual({ isError: true, value: { error: `task ${adaTaskId} not found` } });
      }
      const claimed = await mcp.call("list_tasks", { user_id: ada.id });
      expect(claimed).toEqual({ isError: true, value: { error: "user_id does not match the authenticated user" } });

      const added = await mcp.call("add_task", { title: "Bob's task", user_id: bob.id });
      expect(added).toMatchObject({ isError: false, value: { status: "created", title: "Bob's task" } });
    } finally {
      await mcp.client.close();
    }
    await adaTaskUnchanged();
    const adaList = (await (await t.call("GET", `/api/${ada.id}/tasks`, { headers: ada.auth })).json()) as { title: string }[];
    expect(adaList.map((x) => x.title)).toEqual(["Ada's secret plan"]);
  });

  it("MCP: no token is 401", async () => {
    const response = await t.call("POST", "/mcp", {
      json: { jsonrpc: "2.0", id: 1, method: "tools/list" },
      headers: { accept: "application/json, text/event-stream" },
    });
    expect(response.status).toBe(401);
  });
});
