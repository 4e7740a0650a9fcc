import type { Assistant } from "../agent/assistant.ts";
import {
  addAssistantReply,
  addUserMessage,
  createConversation,
  findConversation,
  recentDialogue,
} from "../conversations/repository.ts";
import type { Db } from "../db/database.ts";
import type { ToolCaller } from "../mcp/tool-caller.ts";
import { isDatabaseUnavailable } from "../db/unavailable.ts";
import { notFound } from "../http/errors.ts";
import { AssistantFailed } from "./assistant-failed.ts";
import type { ChatReply } from "./schemas.ts";

/**
 * One stateless chat turn: load the conversation's history from the database, store the user's
 * message, run the assistant, store its reply with the tool calls, answer.
 */
export async function chatTurn(
  db: Db,
  assistant: Assistant,
  caller: ToolCaller,
  input: { conversation_id?: number | undefined; message: string },
): Promise<ChatReply> {
  const { userId } = caller;
  let conversationId: number;
  if (input.conversation_id !== undefined) {
    const found = await findConversation(db, userId, input.conversation_id);
    if (!found) throw notFound(`conversation ${input.conversation_id}`);
    conversationId = found.id;
  } else {
    conversationId = (await createConversation(db, userId, input.message)).id;
  }
  const history = (await recentDialogue(db, userId, conversationId)).map((m) => ({
    role: m.role === "user" ? ("user" as const) : ("assistant" as const),
    content: m.content,
  }));
  await addUserMessage(db, userId, conversationId, input.message);
  let turn;
  try {
    turn = await assistant.reply({ caller, history, message: input.message });
  } catch (error) {
    if (assistant.kind === "llm" && !isDatabaseUnavailable(error)) {
      throw new AssistantFailed(error instanceof Error ? error.message : String(error), { cause: error });
    }
    throw error;
  }
  await addAssistantReply(db, userId, conversationId, turn.response, turn.toolCalls);
  return { conversation_id: conversationId, response: turn.response, tool_calls: turn.toolCalls };
}
