import { CONVERSATION_TITLE_MAX } from "../db/schema/conversations.ts";

/**
 * A conversation's title, derived from its first user message: whitespace folded onto one line,
 * cut to CONVERSATION_TITLE_MAX characters with an ellipsis. Stored when the conversation is created
 * (migration 0001 filled in the conversations that existed before).
 */
export function conversationTitle(firstMessage: string): string {
  const line = firstMessage.replace(/\s+/g, " ").trim();
  const chars = Array.from(line);
  return chars.length > CONVERSATION_TITLE_MAX ? `${chars.slice(0, CONVERSATION_TITLE_MAX - 1).join("")}…` : line;
}
