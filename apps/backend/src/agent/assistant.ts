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
  userId: string;
  history: HistoryMessage[];
  message: string;
}

/** Answers one chat turn; reaches tasks only through the MCP tools. Holds no state between turns. */
export interface Assistant {
  readonly kind: "llm" | "offline";
  reply(input: AssistantInput): Promise<AssistantTurn>;
}
