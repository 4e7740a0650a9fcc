import { and, desc, eq, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { conversations, messages, type Conversation, type Message } from "../db/schema/conversations.ts";
import type { Page } from "../http/paging.ts";
import type { ToolCallRecord } from "../mcp/tool-results.ts";
import { conversationTitle } from "./title.ts";

/** The conversation when it exists for this user; another user's conversation is "not found". */
export async function findConversation(db: Db, userId: string, id: number): Promise<Conversation | undefined> {
  const [row] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.userId, userId), eq(conversations.id, id)));
  return row;
}

/**
 * One page of the user's conversations, most recently active first. The cursor is the id of the
 * last conversation of the page before: the page continues after that conversation's place in the
 * order (updated_at, id), so it stays an integer like every other cursor.
 */
export async function listConversations(db: Db, userId: string, page: { limit: number; cursor?: number | undefined }): Promise<Page<Conversation>> {
  const after =
    page.cursor === undefined
      ? undefined
      : sql`(${conversations.updatedAt}, ${conversations.id}) < (select c.updated_at, c.id from conversations c where c.id = ${page.cursor} and c.user_id = ${userId})`;
  const rows = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.userId, userId), after))
    .orderBy(desc(conversations.updatedAt), desc(conversations.id))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit);
  return { items, nextCursor: rows.length > page.limit ? items.at(-1)?.id : undefined };
}

/**
 * One page of a conversation's messages, oldest first within the page. The first page is the newest
 * `limit` messages; the cursor (the oldest id of the page before) pages back towards the start.
 */
export async function listMessages(db: Db, userId: string, conversationId: number, page: { limit: number; cursor?: number | undefined }): Promise<Page<Message>> {
  const rows = await db
    .select()
    .from(messages)
    .where(and(eq(messages.userId, userId), eq(messages.conversationId, conversationId), page.cursor === undefined ? undefined : lt(messages.id, page.cursor)))
    .orderBy(desc(messages.id))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit).reverse();
  return { items, nextCursor: rows.length > page.limit ? items[0]?.id : undefined };
}

/** The last `limit` user/assistant messages, oldest first: what the assistant is shown as history. */
export async function recentDialogue(db: Db, userId: string, conversationId: number, limit = 40): Promise<Message[]> {
  const rows = await db
    .select()
    .from(messages)
    .where(and(eq(messages.userId, userId), eq(messages.conversationId, conversationId), inArray(messages.role, ["user", "assistant"])))
    .orderBy(desc(messages.id))
    .limit(limit);
  return rows.reverse();
}

/** A finished chat turn: the user's message, the tool calls (role "tool", JSON content) and the reply. */
export interface StoredTurn {
  message: string;
  toolCalls: ToolCallRecord[];
  reply: string;
}

/**
 * Stores a whole turn in one transaction, after the assistant has answered: a turn that fails leaves
 * no message and no empty conversation behind. `conversationId` undefined starts a new conversation,
 * titled after the message. Returns the conversation's id.
 */
export async function storeTurn(db: Db, userId: string, conversationId: number | undefined, turn: StoredTurn): Promise<number> {
  return db.transaction(async (tx) => {
    let id = conversationId;
    if (id === undefined) {
      const [row] = await tx.insert(conversations).values({ userId, title: conversationTitle(turn.message) }).returning({ id: conversations.id });
      if (!row) throw new Error("insert returned no row");
      id = row.id;
    } else {
      await tx.update(conversations).set({ updatedAt: sql`now()` }).where(eq(conversations.id, id));
    }
    await tx.insert(messages).values([
      { userId, conversationId: id, role: "user" as const, content: turn.message },
      ...turn.toolCalls.map((call) => ({ userId, conversationId: id, role: "tool" as const, content: JSON.stringify(call) })),
      { userId, conversationId: id, role: "assistant" as const, content: turn.reply },
    ]);
    return id;
  });
}
