import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "./support/backends.ts";
import { createTestApp, type SignedInUser, type TestApp } from "./support/test-app.ts";

interface ChatJson {
  conversation_id: number;
  response: string;
  tool_calls: { name: string; arguments: Record<string, unknown>; result: unknown }[];
}

interface TaskJson {
  id: number;
  title: string;
  completed: boolean;
}

describe.each(backends)("offline assistant through POST /chat (%s)", (backend) => {
  let t: TestApp;
  let user: SignedInUser;
  let conversation: number | undefined;

  beforeAll(async () => {
    t = await createTestApp(backend);
    user = await t.signUp("phrases");
  });
  afterAll(() => t?.close());

  const say = async (message: string): Promise<ChatJson> => {
    const response = await t.call("POST", `/api/${user.id}/chat`, { json: { message, conversation_id: conversation }, headers: user.auth });
    expect(response.status, await response.clone().text()).toBe(200);
    const body = (await response.json()) as ChatJson;
    conversation = body.conversation_id;
    return body;
  };
  const tasks = async (): Promise<TaskJson[]> => (await (await t.call("GET", `/api/${user.id}/tasks`, { headers: user.auth })).json()) as TaskJson[];
  const toolNames = (reply: ChatJson) => reply.tool_calls.map((c) => c.name);

  it("handles the eight phrases of the design, each through the MCP tools, with a friendly confirmation", async () => {
    const add = await say("Add a task to buy groceries");
    expect(toolNames(add)).toEqual(["add_task"]);
    expect(add.tool_calls[0]).toMatchObject({ arguments: { title: "Buy groceries" }, result: { status: "created", title: "Buy groceries" } });
    expect(add.response).toMatch(/added "Buy groceries"/);

    const remember = await say("I need to remember to pay bills");
    expect(remember.tool_calls[0]).toMatchObject({ name: "add_task", arguments: { title: "Pay bills" } });
    await say("Add a task to prepare the team meeting");
    const [groceries, bills, meeting] = await tasks();
    expect([groceries?.title, bills?.title, meeting?.title]).toEqual(["Buy groceries", "Pay bills", "Prepare the team meeting"]);

    const all = await say("Show me all my tasks");
    expect(all.tool_calls[0]).toMatchObject({ name: "list_tasks", arguments: { status: "all" } });
    for (const title of ["Buy groceries", "Pay bills", "Prepare the team meeting"]) expect(all.response).toContain(title);

    const done = await say(`Mark task ${bills?.id} as complete`);
    expect(done.tool_calls[0]).toMatchObject({ name: "complete_task", arguments: { task_id: bills?.id }, result: { status: "completed" } });
    expect(done.response).toMatch(/marked "Pay bills".*complete/);

    const pending = await say("What's pending?");
    expect(pending.tool_calls[0]).toMatchObject({ name: "list_tasks", arguments: { status: "pending" } });
    expect(pending.response).toContain("Buy groceries");
    expect(pending.response).not.toContain("Pay bills");

    const completed = await say("What have I completed?");
    expect(completed.tool_calls[0]).toMatchObject({ name: "list_tasks", arguments: { status: "completed" } });
    expect(completed.response).toContain("Pay bills");
    expect(completed.response).not.toContain("Buy groceries");

    const deleted = await say("Delete the meeting task");
    expect(toolNames(deleted)).toEqual(["list_tasks", "delete_task"]);
    expect(deleted.tool_calls[1]).toMatchObject({ arguments: { task_id: meeting?.id }, result: { status: "deleted" } });
    expect(deleted.response).toMatch(/deleted "Prepare the team meeting"/);

    const changed = await say(`Change task ${groceries?.id} to 'Call mom tonight'`);
    expect(changed.tool_calls[0]).toMatchObject({ name: "update_task", arguments: { task_id: groceries?.id, title: "Call mom tonight" } });
    expect(changed.response).toMatch(/now "Call mom tonight"/);

    expect((await tasks()).map((x) => [x.title, x.completed])).toEqual([
      ["Call mom tonight", false],
      ["Pay bills", true],
    ]);
  });

  it("says plainly when it does not understand, suggests a form, and calls no tool", async () => {
    const reply = await say("purple monkey dishwasher");
    expect(reply.tool_calls).toEqual([]);
    expect(reply.response).toMatch(/didn't understand/);
    expect(reply.response).toContain("Add a task to buy groceries");
  });

  it("answers kindly for an unknown task number and for words that match no task", async () => {
    expect((await say("Mark task 987654 as complete")).response).toMatch(/couldn't find task 987654/);
    const none = await say("Delete the unicorn task");
    expect(none.response).toMatch(/couldn't find a task matching "unicorn"/);
    expect(toolNames(none)).toEqual(["list_tasks"]);
  });

  it("stores the turn: user message, tool calls and reply, oldest first", async () => {
    const fresh = await t.call("POST", `/api/${user.id}/chat`, { json: { message: "Add a task to water plants" }, headers: user.auth });
    const { conversation_id } = (await fresh.json()) as ChatJson;
    const history = (await (await t.call("GET", `/api/${user.id}/conversations/${conversation_id}/messages`, { headers: user.auth })).json()) as { role: string; content: string }[];
    expect(history.map((m) => m.role)).toEqual(["user", "tool", "assistant"]);
    expect(history[0]?.content).toBe("Add a task to water plants");
    expect(JSON.parse(history[1]?.content ?? "{}")).toMatchObject({ name: "add_task", arguments: { title: "Water plants" } });
    const conversations = (await (await t.call("GET", `/api/${user.id}/conversations`, { headers: user.auth })).json()) as { id: number }[];
    expect(conversations[0]?.id).toBe(conversation_id); // newest first
    expect(conversations.map((c) => c.id)).toContain(conversation);
  });
});

describe("chat rate limit", () => {
  it("answers 429 with Retry-After once a user exceeds CHAT_RATE_LIMIT_PER_MINUTE, other users unaffected", async () => {
    const t = await createTestApp("pglite", { CHAT_RATE_LIMIT_PER_MINUTE: "3" });
    try {
      const [a, b] = [await t.signUp("limited"), await t.signUp("other")];
      const send = (u: SignedInUser) => t.call("POST", `/api/${u.id}/chat`, { json: { message: "What's pending?" }, headers: u.auth });
      for (let i = 0; i < 3; i++) expect((await send(a)).status).toBe(200);
      const limited = await send(a);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await limited.json()).toMatchObject({ error: { code: "rate_limited" } });
      expect((await send(b)).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
