/** The JSON a tool returns, as DESIGN.md's tool table defines it. */
export interface TaskActionResult {
  task_id: number;
  status: "created" | "completed" | "deleted" | "updated";
  title: string;
}

export interface TaskListEntry {
  id: number;
  title: string;
  description: string;
  completed: boolean;
}

export type ToolResult = TaskActionResult | TaskListEntry[] | { error: string };

/**
 * How much of a tool's result a chat turn reports and stores, as JSON characters: a list longer than
 * this keeps its first entries that fit (the model still saw the whole page).
 */
export const STORED_TOOL_RESULT_MAX = 16_384;

/** `result` cut to STORED_TOOL_RESULT_MAX: a list keeps its leading entries, anything else too big becomes {error}. */
export function boundToolResult(result: unknown): unknown {
  const size = JSON.stringify(result ?? null).length;
  if (size <= STORED_TOOL_RESULT_MAX) return result;
  if (!Array.isArray(result)) return { error: `the result (${size} characters) was too large to keep` };
  const kept: unknown[] = [];
  let used = 2;
  for (const entry of result) {
    used += JSON.stringify(entry).length + 1;
    if (used > STORED_TOOL_RESULT_MAX) break;
    kept.push(entry);
  }
  return kept;
}

/** One tool call as the chat endpoint reports and stores it. */
export interface ToolCallRecord {
  name: string;
  arguments: Record<string, unknown>;
  result: unknown;
}
