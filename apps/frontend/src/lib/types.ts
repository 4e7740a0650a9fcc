/** The shapes the UI works with, normalised from the backend's JSON (see normalize.ts). */
export type TaskFilter = "all" | "pending" | "completed";

export interface Task {
  id: number;
  title: string;
  description: string;
  completed: boolean;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface ToolCall {
  name: string;
  arguments: Record<string, unknown>;
  result: unknown;
}

export type Role = "user" | "assistant" | "tool";

export interface ChatMessage {
  /** backend id, or a local key for a message not yet stored */
  id: string;
  role: Role;
  content: string;
  toolCalls: ToolCall[];
  createdAt: string | null;
  /** a message the backend refused or never answered */
  failed?: boolean;
}

export interface Conversation {
  id: number;
  /** the backend may not name conversations; the UI then names them by their first message */
  title: string | null;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface ChatReply {
  conversationId: number;
  response: string;
  toolCalls: ToolCall[];
}
