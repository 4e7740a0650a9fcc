import type { Message, ToolCall } from "@todo/backend/contract";

/** A message as the chat shows it: one bubble, with the tool calls that led to it as chips. */
export interface ChatMessage {
  /** the backend's id, or a local key for a message not stored yet */
  id: string;
  role: Message["role"];
  content: string;
  toolCalls: ToolCall[];
  /** a message the backend refused or never answered */
  failed?: boolean;
}

/** A stored "tool" message holds one ToolCall as JSON text (the contract's Message.content). */
function storedToolCall(message: Message): ToolCall | null {
  try {
    return JSON.parse(message.content) as ToolCall;
  } catch {
    return null;
  }
}

/**
 * A conversation's history for display: the tool calls stored before an assistant reply become that
 * reply's chips, so each turn reads "you / assistant + what it did".
 */
export function toChatMessages(history: readonly Message[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  let pending: ToolCall[] = [];
  for (const message of history) {
    if (message.role === "tool") {
      const call = storedToolCall(message);
      if (call) pending.push(call);
      continue;
    }
    out.push({
      id: String(message.id),
      role: message.role,
      content: message.content,
      toolCalls: message.role === "assistant" ? pending : [],
    });
    if (message.role === "assistant") pending = [];
  }
  if (pending.length > 0) out.push({ id: "tools-tail", role: "tool", content: "", toolCalls: pending });
  return out;
}
