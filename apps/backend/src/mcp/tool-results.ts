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

/** One tool call as the chat endpoint reports and stores it. */
export interface ToolCallRecord {
  name: string;
  arguments: Record<string, unknown>;
  result: unknown;
}
