import type { ToolCaller } from "../mcp/tool-caller.ts";
import type { ToolCallRecord } from "../mcp/tool-results.ts";

/** One earlier message of the conversation, as stored. */
export interface HistoryMessage {
  role: "user" | "assistant";
  content: string;
}

export interface AssistantTurn {
  response: string;
  toolCalls: ToolCallRecord[];
}

export interface AssistantInput {
  /** the user the tools act for, and the chat request's id and logger */
  caller: ToolCaller;
  history: HistoryMessage[];
  message: string;
}

/** Answers one chat turn; reaches tasks only through the MCP tools. Holds no state between turns. */
export interface Assistant {
  readonly kind: "llm" | "offline";
  reply(input: AssistantInput): Promise<AssistantTurn>;
}
