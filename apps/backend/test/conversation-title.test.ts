import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsFolder } from "../src/db/database.ts";
import { backends } from "./support/backends.ts";
import { migrationsBefore } from "./support/migrations.ts";
import { createTestApp, type SignedInUser, type TestApp } from "./support/test-app.ts";

interface ConversationJson {
  id: number;
  title: string;
  created_at: string;
  updated_at: string;
}

describe.each(backends)("conversations carry a server-made title (%s)", (backend) => {
  let t: TestApp;
  let user: SignedInUser;
  beforeAll(async () => {
    t = await createTestApp(backend);
    user = await t.signUp("titles");
  });
  afterAll(() => t?.close());

  const chat = async (message: string, conversationId?: number): Promise<number> => {
    const response = await t.call("POST", `/api/${user.id}/chat`, { json: { message, conversation_id: conversationId }, headers: user.auth });
    expect(response.status, await response.clone().text()).toBe(200);
    return ((await response.json()) as { conversation_id: number }).conversation_id;
  };
  const conversations = async (): Promise<ConversationJson[]> =>
    (await (await t.call("GET", `/api/${user.id}/conversations`, { headers: user.auth })).json()) as ConversationJson[];

  it("titles a conversation by its first message and keeps that title as the conversation goes on", async () => {
    const id = await chat("Add a task to buy groceries");
    await chat("What's pending?", id);
    const found = (await conversations()).find((c) => c.id === id);
    expect(found?.title).toBe("Add a task to buy groceries");
  });

  it("folds a long, multi-line first message onto one line of at most 48 characters ending in …", async () => {
    const id = await chat("Add a task to\n\n   prepare the quarterly planning meeting with the whole team");
    const title = (await conversations()).find((c) => c.id === id)?.title ?? "";
    expect(title).toBe("Add a task to prepare the quarterly planning me…");
    expect(Array.from(title)).toHaveLength(48);
  });
});

describe("migration 0001 titles the conversations that existed before it", () => {
  const before = migrationsBefore("0001");
  afterAll(() => before.remove());

  it("fills the title from the first user message, or 'New conversation' when there is none", async () => {

    const client = await PGlite.create();
    try {
      const db = drizzle({ client });
      await migrate(db, { migrationsFolder: before.dir });
      await client.exec(`
        INSERT INTO "user" (id, name, email) VALUES ('u1', 'Old', 'old@example.com');
        INSERT INTO conversations (id, user_id) VALUES (1, 'u1'), (2, 'u1');
        INSERT INTO messages (user_id, conversation_id, role, content) VALUES
          ('u1', 1, 'user', '  Remind me   to call
mom tonight about the trip we planned for next summer  '),
          ('u1', 1, 'assistant', 'Sure'),
          ('u1', 1, 'user', 'second message');
      `);
      await migrate(db, { migrationsFolder });
      const { rows } = await client.query<{ id: number; title: string }>("SELECT id, title FROM conversations ORDER BY id");
      expect(rows).toEqual([
        { id: 1, title: "Remind me to call mom tonight about the trip we…" },
        { id: 2, title: "New conversation" },
      ]);
    } finally {
      await client.close();
    }
  });
});
