import type { Assistant, HistoryMessage } from "../agent/assistant.ts";
import { findConversation, recentDialogue, storeTurn } from "../conversations/repository.ts";
import type { Db } from "../db/database.ts";
import type { ToolCaller } from "../mcp/tool-caller.ts";
import { isDatabaseUnavailable } from "../db/unavailable.ts";
import { notFound } from "../http/errors.ts";
import { AssistantFailed } from "./assistant-failed.ts";
import type { ChatReply } from "./schemas.ts";

/**
 * One stateless chat turn: load the conversation's history from the database, run the assistant, then
 * store the user's message, the tool calls and the reply together (storeTurn), and answer. A turn
 * that fails stores nothing; the tools' own changes to tasks stay, as each tool call is complete.
 */
export async function chatTurn(
  db: Db,
  assistant: Assistant,
  caller: ToolCaller,
  input: { conversation_id?: number | undefined; message: string },
): Promise<ChatReply> {
  const { userId } = caller;
  let history: HistoryMessage[] = [];
  if (input.conversation_id !== undefined) {
    const found = await findConversation(db, userId, input.conversation_id);
    if (!found) throw notFound(`conversation ${input.conversation_id}`);
    history = (await recentDialogue(db, userId, found.id)).map((m) => ({ role: m.role === "user" ? "user" : "assistant", content: m.content }));
  }
  let turn;
  try {
    turn = await assistant.reply({ caller, history, message: input.message });
  } catch (error) {
    if (assistant.kind === "llm" && !isDatabaseUnavailable(error)) {
      throw new AssistantFailed(error instanceof Error ? error.message : String(error), { cause: error });
    }
    throw error;
  }
  const conversationId = await storeTurn(db, userId, input.conversation_id, { message: input.message, toolCalls: turn.toolCalls, reply: turn.response });
  return { conversation_id: conversationId, response: turn.response, tool_calls: turn.toolCalls };
}
