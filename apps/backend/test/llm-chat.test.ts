import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "./support/backends.ts";
import { startFakeOpenAI, type ChatRequest } from "./support/fake-openai.ts";
import { createTestApp, type SignedInUser, type TestApp } from "./support/test-app.ts";

/** Chat Completions content is a string or a list of {type:"text", text} parts. */
function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((part: { text?: unknown }) => (typeof part.text === "string" ? part.text : "")).join("");
  return "";
}

/** The fake model: on a new user message asking to add, call add_task; after a tool result, confirm. */
function script(request: ChatRequest) {
  const last = request.messages.at(-1);
  if (last?.role === "tool") return { text: "Done! I added \"Buy groceries\" to your list." };
  const text = textOf(last?.content);
  if (/add a task to buy groceries/i.test(text)) return { tool: { name: "add_task", arguments: { title: "Buy groceries" } } };
  return { text: "You asked me to buy groceries earlier." };
}

describe.each(backends)("LLM agent against a fake OpenAI-compatible server (%s)", (backend) => {
  let fake: Awaited<ReturnType<typeof startFakeOpenAI>>;
  let t: TestApp;
  let user: SignedInUser;
  beforeAll(async () => {
    fake = await startFakeOpenAI(script);
    t = await createTestApp(backend, { OPENAI_API_KEY: "sk-test-not-real", OPENAI_BASE_URL: fake.baseUrl, OPENAI_MODEL: "fake-model" });
    user = await t.signUp("llm");
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it("the model asks for add_task, the task really appears, and the reply is stored; the next turn sees the history", async () => {
    const response = await t.call("POST", `/api/${user.id}/chat`, { json: { message: "Add a task to buy groceries" }, headers: user.auth });
    expect(response.status).toBe(200);
    const reply = (await response.json()) as { conversation_id: number; response: string; tool_calls: { name: string; arguments: unknown; result: unknown }[] };
    expect(reply.response).toBe('Done! I added "Buy groceries" to your list.');
    expect(reply.tool_calls).toEqual([
      { name: "add_task", arguments: { title: "Buy groceries" }, result: { task_id: expect.any(Number), status: "created", title: "Buy groceries" } },
    ]);

    // the model was given exactly the five MCP tools and the configured model name
    expect(fake.requests[0]?.model).toBe("fake-model");
    expect(fake.requests[0]?.tools?.map((tool) => tool.function.name).sort()).toEqual(["add_task", "complete_task", "delete_task", "list_tasks", "update_task"]);

    const tasks = (await (await t.call("GET", `/api/${user.id}/tasks`, { headers: user.auth })).json()) as { title: string }[];
    expect(tasks.map((x) => x.title)).toEqual(["Buy groceries"]);

    const history = (await (await t.call("GET", `/api/${user.id}/conversations/${reply.conversation_id}/messages`, { headers: user.auth })).json()) as { role: string; content: string }[];
    expect(history.map((m) => m.role)).toEqual(["user", "tool", "assistant"]);
    expect(history[2]?.content).toBe(reply.response);

    const before = fake.requests.length;
    const next = await t.call("POST", `/api/${user.id}/chat`, { json: { conversation_id: reply.conversation_id, message: "What did I ask?" }, headers: user.auth });
    expect(next.status).toBe(200);
    const sent = fake.requests[before]?.messages.map((m) => [m.role, textOf(m.content)]);
    expect(sent).toEqual(
      expect.arrayContaining([
        ["user", "Add a task to buy groceries"],
        ["assistant", 'Done! I added "Buy groceries" to your list.'],
        ["user", "What did I ask?"],
      ]),
    );
  });

  it("answers 502 in the error shape when the model endpoint cannot be reached, and stores nothing of the failed turn", async () => {
    const broken = await createTestApp(backend, { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: "http://127.0.0.1:9/v1" });
    try {
      const u = await broken.signUp("broken");
      const response = await broken.call("POST", `/api/${u.id}/chat`, { json: { message: "hello" }, headers: u.auth });
      expect(response.status).toBe(502);
      expect(await response.json()).toMatchObject({ error: { code: "assistant_unavailable" } });
      // no empty conversation, no orphaned user message
      expect(await (await broken.call("GET", `/api/${u.id}/conversations`, { headers: u.auth })).json()).toEqual([]);
    } finally {
      await broken.close();
    }
  });
});
