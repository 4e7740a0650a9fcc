import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Db } from "../../db/database.ts";
import { InProcessMcpClient } from "../../mcp/in-process-client.ts";
import { LIST_TOOL_PAGE_MAX } from "../../mcp/task-tools.ts";
import type { TaskActionResult, TaskListEntry } from "../../mcp/tool-results.ts";
import type { Assistant, AssistantInput, AssistantTurn } from "../assistant.ts";
import { parseIntent, type TaskRef } from "./intent.ts";
import { replies } from "./replies.ts";

const STOP_WORDS = new Set(["the", "a", "an", "my", "task", "tasks", "to", "for", "of", "on", "with", "as", "that", "this", "one", "please"]);

/** Tasks whose title contains every meaningful word of `words` (case-insensitive). */
function matchByWords(tasks: TaskListEntry[], words: string): TaskListEntry[] {
  const wanted = words
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0 && !STOP_WORDS.has(w));
  if (wanted.length === 0) return [];
  return tasks.filter((t) => {
    const title = t.title.toLowerCase();
    return wanted.every((w) => title.includes(w));
  });
}

/** list_tasks' cursor for the next page, when more tasks follow. */
const nextCursor = (raw: CallToolResult): number | undefined => {
  const cursor = raw.structuredContent?.next_cursor;
  return typeof cursor === "number" ? cursor : undefined;
};

const isError = (value: unknown): value is { error: string } =>
  typeof value === "object" && value !== null && "error" in value && typeof value.error === "string";

/**
 * The assistant used when no OPENAI_API_KEY is set: a deterministic intent parser that acts only
 * through the same MCP tools the LLM agent uses.
 */
export function createOfflineAssistant(db: Db): Assistant {
  return {
    kind: "offline",
    async reply({ caller, message }: AssistantInput): Promise<AssistantTurn> {
      const mcp = new InProcessMcpClient(db, caller);
      await mcp.connect();
      try {
        const response = await answer(mcp, message);
        return { response, toolCalls: mcp.calls };
      } finally {
        await mcp.close();
      }
    },
  };
}

async function answer(mcp: InProcessMcpClient, message: string): Promise<string> {
  const intent = parseIntent(message);
  switch (intent.kind) {
    case "add": {
      const { value } = await mcp.call("add_task", { title: intent.title });
      if (isError(value)) return replies.failed(value.error);
      const task = value as TaskActionResult;
      return replies.added(task.title, task.task_id);
    }
    case "list": {
      const { value, raw } = await mcp.call("list_tasks", { status: intent.status });
      if (isError(value)) return replies.failed(value.error);
      return replies.list(intent.status, value as TaskListEntry[], nextCursor(raw) !== undefined);
    }
    case "complete":
    case "delete":
    case "update": {
      const id = await resolve(mcp, intent.ref);
      if (typeof id === "string") return id;
      const tool = intent.kind === "complete" ? "complete_task" : intent.kind === "delete" ? "delete_task" : "update_task";
      const args = intent.kind === "update" ? { task_id: id, title: intent.title } : { task_id: id };
      const { value } = await mcp.call(tool, args);
      if (isError(value)) return /not found/.test(value.error) ? replies.notFound(id) : replies.failed(value.error);
      const task = value as TaskActionResult;
      if (intent.kind === "complete") return replies.completed(task.title, task.task_id);
      if (intent.kind === "delete") return replies.deleted(task.title, task.task_id);
      return replies.updated(task.title, task.task_id);
    }
    case "greeting":
      return replies.greeting();
    case "unknown":
      return replies.unknown();
  }
}

/** A task number, or the sentence to answer when the words match no task or several. */
async function resolve(mcp: InProcessMcpClient, ref: TaskRef): Promise<number | string> {
  if ("id" in ref) return ref.id;
  // every page (an account keeps at most TASKS_PER_USER_MAX tasks), so a match is never missed
  const all: TaskListEntry[] = [];
  let cursor: number | undefined;
  do {
    const { value, raw } = await mcp.call("list_tasks", { status: "all", limit: LIST_TOOL_PAGE_MAX, ...(cursor === undefined ? {} : { cursor }) });
    if (isError(value)) return replies.failed(value.error);
    all.push(...(value as TaskListEntry[]));
    cursor = nextCursor(raw);
  } while (cursor !== undefined);
  const matches = matchByWords(all, ref.words);
  if (matches.length === 0) return replies.noMatch(ref.words);
  if (matches.length > 1) return replies.ambiguous(ref.words, matches);
  return (matches[0] as TaskListEntry).id;
}
