import type { ChatMessage, ChatReply, Conversation, Role, Task, ToolCall } from "./types.ts";

/**
 * Turns the backend's JSON into the UI's types. Lenient about envelope ({tasks: [...]} or a bare
 * array) and key style (created_at or createdAt), strict about what the UI needs (an id, a title).
 */
type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

function pick(obj: Json, ...keys: string[]): unknown {
  for (const key of keys) if (obj[key] !== undefined) return obj[key];
  return undefined;
}

const str = (value: unknown): string | null => (typeof value === "string" ? value : null);

function num(value: unknown): number | null {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  return null;
}

/** The list inside a bare array or an envelope such as {tasks: [...]}, {items: [...]}, {data: [...]}. */
export function listOf(body: unknown, ...keys: string[]): unknown[] {
  if (Array.isArray(body)) return body;
  if (isObject(body)) {
    for (const key of [...keys, "items", "data", "results"]) {
      const value = body[key];
      if (Array.isArray(value)) return value;
    }
  }
  return [];
}

/** A single object, bare or wrapped ({task: {...}}). */
function unwrap(body: unknown, key: string): Json | null {
  if (isObject(body) && isObject(body[key])) return body[key];
  return isObject(body) ? body : null;
}

export function toTask(raw: unknown): Task | null {
  const obj = unwrap(raw, "task");
  if (!obj) return null;
  const id = num(obj.id);
  const title = str(obj.title);
  if (id === null || title === null) return null;
  return {
    id,
    title,
    description: str(obj.description) ?? "",
    completed: obj.completed === true,
    createdAt: str(pick(obj, "created_at", "createdAt")),
    updatedAt: str(pick(obj, "updated_at", "updatedAt")),
  };
}

export function toTasks(body: unknown): Task[] {
  return listOf(body, "tasks").flatMap((raw) => toTask(raw) ?? []);
}

/** Tool arguments and results may arrive as JSON text (MCP returns text content). */
function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const trimmed = value.trim();
  if (!(trimmed.startsWith("{") || trimmed.startsWith("["))) return value;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return value;
  }
}

export function toToolCall(raw: unknown): ToolCall | null {
  if (!isObject(raw)) return null;
  const name = str(pick(raw, "name", "tool", "tool_name"));
  if (!name) return null;
  const args = parseMaybeJson(pick(raw, "arguments", "args", "input"));
  return { name, arguments: isObject(args) ? args : {}, result: parseMaybeJson(pick(raw, "result", "output")) };
}

export function toToolCalls(raw: unknown): ToolCall[] {
  const parsed = parseMaybeJson(raw);
  const list = Array.isArray(parsed) ? parsed : parsed === undefined || parsed === null ? [] : [parsed];
  return list.flatMap((item) => toToolCall(item) ?? []);
}

const ROLES: readonly Role[] = ["user", "assistant", "tool"];

export function toMessage(raw: unknown, index: number): ChatMessage | null {
  if (!isObject(raw)) return null;
  const role = str(raw.role);
  if (!role || !ROLES.includes(role as Role)) return null;
  const content = str(raw.content) ?? "";
  let toolCalls = toToolCalls(pick(raw, "tool_calls", "toolCalls"));
  // A stored "tool" message may carry its call(s) as JSON text in `content`.
  if (role === "tool" && toolCalls.length === 0) toolCalls = toToolCalls(content);
  const id = num(raw.id);
  return {
    id: id === null ? `m${index}` : String(id),
    role: role as Role,
    content: role === "tool" && toolCalls.length > 0 ? "" : content,
    toolCalls,
    createdAt: str(pick(raw, "created_at", "createdAt")),
  };
}

/**
 * A conversation's history for display: tool messages that precede an assistant reply are folded
 * into that reply's chips, so each turn reads "you / assistant + what it did".
 */
export function toMessages(body: unknown): ChatMessage[] {
  const out: ChatMessage[] = [];
  let pendingTools: ToolCall[] = [];
  listOf(body, "messages").forEach((raw, index) => {
    const message = toMessage(raw, index);
    if (!message) return;
    if (message.role === "tool") {
      pendingTools.push(...message.toolCalls);
      if (message.toolCalls.length === 0 && message.content) out.push(message);
      return;
    }
    if (message.role === "assistant" && pendingTools.length > 0) {
      message.toolCalls = [...pendingTools, ...message.toolCalls];
      pendingTools = [];
    }
    out.push(message);
  });
  if (pendingTools.length > 0) {
    out.push({ id: "tools-tail", role: "tool", content: "", toolCalls: pendingTools, createdAt: null });
  }
  return out;
}

export function toConversation(raw: unknown): Conversation | null {
  if (!isObject(raw)) return null;
  const id = num(raw.id);
  if (id === null) return null;
  const title = str(pick(raw, "title", "preview", "summary", "first_message", "firstMessage"));
  return {
    id,
    title,
    createdAt: str(pick(raw, "created_at", "createdAt")),
    updatedAt: str(pick(raw, "updated_at", "updatedAt")),
  };
}

export function toConversations(body: unknown): Conversation[] {
  return listOf(body, "conversations").flatMap((raw) => toConversation(raw) ?? []);
}

export function toChatReply(body: unknown): ChatReply {
  if (!isObject(body)) throw new Error("The assistant sent an answer the app cannot read.");
  const conversationId = num(pick(body, "conversation_id", "conversationId"));
  if (conversationId === null) throw new Error("The assistant's answer has no conversation id.");
  return {
    conversationId,
    response: str(body.response) ?? "",
    toolCalls: toToolCalls(pick(body, "tool_calls", "toolCalls")),
  };
}
