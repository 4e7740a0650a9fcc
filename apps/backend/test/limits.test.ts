import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messages } from "../src/db/schema/conversations.ts";
import { TASKS_PER_USER_MAX } from "../src/db/schema/tasks.ts";
import { NEXT_CURSOR_HEADER, PAGE_DEFAULT } from "../src/http/paging.ts";
import { LIST_TOOL_PAGE_DEFAULT } from "../src/mcp/task-tools.ts";
import { STORED_TOOL_RESULT_MAX } from "../src/mcp/tool-results.ts";
import { backends } from "./support/backends.ts";
import { connectMcp } from "./support/mcp-client.ts";
import { createTestApp, type SignedInUser, type TestApp } from "./support/test-app.ts";

interface TaskJson {
  id: number;
  title: string;
}

describe.each(backends)("bounded data: task cap, paging, bounded tool results (%s)", (backend) => {
  let t: TestApp;
  let full: SignedInUser;
  beforeAll(async () => {
    t = await createTestApp(backend);
    full = await t.signUp("hoarder");
    // one task short of the cap, each with a 500-character description; the last one has a unique title
    await t.database.db.execute(sql`
      insert into tasks (user_id, title, description)
      select ${full.id}, case when g = ${TASKS_PER_USER_MAX - 1} then 'Feed the zebra' else 'Task ' || g end, repeat('d', 500)
      from generate_series(1, ${TASKS_PER_USER_MAX - 1}) as g`);
  });
  afterAll(() => t?.close());

  const get = (user: SignedInUser, path: string) => t.call("GET", `/api/${user.id}${path}`, { headers: user.auth });
  const chat = async (user: SignedInUser, message: string) => {
    const response = await t.call("POST", `/api/${user.id}/chat`, { json: { message }, headers: user.auth });
    expect(response.status).toBe(200);
    return { size: (await response.clone().text()).length, body: (await response.json()) as { conversation_id: number; response: string; tool_calls: { name: string; result: unknown }[] } };
  };

  it(`refuses task ${TASKS_PER_USER_MAX + 1} with 409 task_limit_reached through REST, MCP and chat`, async () => {
    expect((await t.call("POST", `/api/${full.id}/tasks`, { json: { title: "the last one that fits" }, headers: full.auth })).status).toBe(201);
    const refused = await t.call("POST", `/api/${full.id}/tasks`, { json: { title: "one too many" }, headers: full.auth });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: { code: "task_limit_reached", message: expect.stringContaining(`${TASKS_PER_USER_MAX} tasks`) } });

    const mcp = await connectMcp(t, full.token);
    try {
      const viaMcp = await mcp.call("add_task", { title: "one too many" });
      expect(viaMcp).toEqual({ isError: true, value: { error: expect.stringContaining(`you already have ${TASKS_PER_USER_MAX} tasks`) } });
    } finally {
      await mcp.client.close();
    }
    expect((await chat(full, "Add a task to buy more shelves")).body.response).toMatch(/didn't work: you already have 1000 tasks/);
  });

  it(`pages GET /tasks: ${PAGE_DEFAULT} by default, limit + cursor from ${NEXT_CURSOR_HEADER}, no header on the last page`, async () => {
    const first = await get(full, "/tasks");
    const firstPage = (await first.json()) as TaskJson[];
    expect(firstPage).toHaveLength(PAGE_DEFAULT);
    expect(first.headers.get(NEXT_CURSOR_HEADER)).toBe(String(firstPage.at(-1)?.id));

    const user = await t.signUp("pager");
    for (let i = 1; i <= 7; i++) await t.call("POST", `/api/${user.id}/tasks`, { json: { title: `t${i}` }, headers: user.auth });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await get(user, `/tasks?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...((await response.json()) as TaskJson[]).map((task) => task.title));
      cursor = response.headers.get(NEXT_CURSOR_HEADER);
      pages++;
    } while (cursor !== null);
    expect(seen).toEqual(["t1", "t2", "t3", "t4", "t5", "t6", "t7"]);
    expect(pages).toBe(3);
    for (const bad of ["limit=0", "limit=501", "limit=x", "cursor=-1"]) {
      const response = await get(user, `/tasks?${bad}`);
      expect(response.status, bad).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(new RegExp(`^${bad.split("=")[0]}: `));
    }
  });

  it("pages a conversation's messages from the newest back, oldest first within a page", async () => {
    const { body } = await chat(full, "hello");
    const conversation = body.conversation_id;
    await t.database.db.insert(messages).values(
      Array.from({ length: 248 }, (_, i) => ({ userId: full.id, conversationId: conversation, role: "user" as const, content: `m${i + 1}` })),
    );
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const response = await get(full, `/conversations/${conversation}/messages${cursor ? `?cursor=${cursor}` : ""}`);
      pages.push(((await response.json()) as { content: string }[]).map((m) => m.content));
      cursor = response.headers.get(NEXT_CURSOR_HEADER);
    } while (cursor !== null);
    expect(pages.map((p) => p.length)).toEqual([100, 100, 50]);
    expect(pages[0]?.at(-1)).toBe("m248"); // the newest message ends the first page
    expect(pages[2]?.slice(0, 2)).toEqual(["hello", expect.any(String)]); // the oldest begins the last
    expect(pages.toReversed().flat()).toHaveLength(250);
  });

  it("pages GET /conversations, most recently active first", async () => {
    const user = await t.signUp("talker");
    const ids: number[] = [];
    for (let i = 1; i <= 5; i++) ids.push((await chat(user, `conversation ${i}`)).body.conversation_id);
    // continuing the first conversation makes it the most recent
    expect((await t.call("POST", `/api/${user.id}/chat`, { json: { message: "again", conversation_id: ids[0] }, headers: user.auth })).status).toBe(200);
    const pages: number[][] = [];
    let cursor: string | null = null;
    do {
      const response = await get(user, `/conversations?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      pages.push(((await response.json()) as { id: number }[]).map((c) => c.id));
      cursor = response.headers.get(NEXT_CURSOR_HEADER);
    } while (cursor !== null);
    expect(pages).toEqual([
      [ids[0], ids[4]],
      [ids[3], ids[2]],
      [ids[1]],
    ]);
  });

  it(`MCP list_tasks answers ${LIST_TOOL_PAGE_DEFAULT} at a time with a next_cursor`, async () => {
    const mcp = await connectMcp(t, full.token);
    try {
      type Listed = { structuredContent: { tasks: TaskJson[]; next_cursor?: number }; content: { text: string }[] };
      const first = (await mcp.client.callTool({ name: "list_tasks", arguments: {} })) as unknown as Listed;
      expect(first.structuredContent.tasks).toHaveLength(LIST_TOOL_PAGE_DEFAULT);
      expect(first.content[1]?.text).toMatch(/call list_tasks again with cursor \d+/);
      const next = (await mcp.client.callTool({ name: "list_tasks", arguments: { cursor: first.structuredContent.next_cursor, limit: 100 } })) as unknown as Listed;
      expect(next.structuredContent.tasks[0]?.id).toBeGreaterThan(first.structuredContent.tasks.at(-1)?.id ?? Infinity);
      expect(next.structuredContent.tasks).toHaveLength(100);
      const tooMany = await mcp.client.callTool({ name: "list_tasks", arguments: { limit: 101 } });
      expect(tooMany.isError).toBe(true);
      expect(JSON.stringify(tooMany.content)).toMatch(/limit/);
    } finally {
      await mcp.client.close();
    }
  });

  it("a chat turn over 1,000 tasks answers and stores a bounded result", async () => {
    const { size, body } = await chat(full, "Show me all my tasks");
    expect(body.response).toMatch(/Here are your first 50 tasks:[\s\S]*There are more/);
    expect(size).toBeLessThan(STORED_TOOL_RESULT_MAX + 8_000);
    const stored = (await (await get(full, `/conversations/${body.conversation_id}/messages`)).json()) as { role: string; content: string }[];
    const tool = stored.find((m) => m.role === "tool");
    expect(tool?.content.length).toBeLessThan(STORED_TOOL_RESULT_MAX + 500);

    // naming a task by words still finds it on a later page
    const deleted = await chat(full, "Delete the zebra task");
    expect(deleted.body.response).toMatch(/deleted "Feed the zebra"/);
  });
});
