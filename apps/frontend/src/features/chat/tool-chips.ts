import type { TaskActionResult, TaskListEntry, ToolCall } from "@todo/backend/contract";

/** What a chip under an assistant message says, e.g. "added task 4". */
export interface Chip {
  label: string;
  /** longer text for the tooltip / screen readers, e.g. the task's title */
  detail: string;
  kind: "add" | "complete" | "delete" | "update" | "list" | "error" | "other";
  /** the id of the task the call touched, when there is one */
  taskId: number | null;
}

// A call's `result` is the tool's JSON (the contract's ToolResult) or, when a tool answered with text
// that is not JSON, that text; these guards tell the contract's cases apart.
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const isActionResult = (value: unknown): value is TaskActionResult => isRecord(value) && typeof value.task_id === "number";
const isTaskList = (value: unknown): value is TaskListEntry[] => Array.isArray(value);
const errorOf = (value: unknown): string | null => (isRecord(value) && typeof value.error === "string" ? value.error : null);

/** The task a call named in its arguments (the tools take `task_id`). */
function argumentTaskId(call: ToolCall): number | null {
  const id = call.arguments.task_id;
  return typeof id === "number" && Number.isInteger(id) ? id : null;
}

const VERBS: Record<string, { verb: string; kind: Chip["kind"] }> = {
  add_task: { verb: "added", kind: "add" },
  complete_task: { verb: "completed", kind: "complete" },
  delete_task: { verb: "deleted", kind: "delete" },
  update_task: { verb: "updated", kind: "update" },
};

export function chipFor(call: ToolCall): Chip {
  const action = isActionResult(call.result) ? call.result : null;
  const taskId = action?.task_id ?? argumentTaskId(call);
  const error = errorOf(call.result);
  const name = call.name.replace(/_/g, " ");
  if (error !== null) {
    const target = taskId !== null ? ` task ${taskId}` : "";
    return { label: `could not ${name.replace(/ task$/, "")}${target}`, detail: error, kind: "error", taskId };
  }
  const known = VERBS[call.name];
  if (known) {
    const label = taskId !== null ? `${known.verb} task ${taskId}` : `${known.verb} a task`;
    const title = action?.title ?? (typeof call.arguments.title === "string" ? call.arguments.title : "");
    return { label, detail: title ? `${label}: ${title}` : label, kind: known.kind, taskId };
  }
  if (call.name === "list_tasks") {
    const count = isTaskList(call.result) ? call.result.length : null;
    const status = typeof call.arguments.status === "string" && call.arguments.status !== "all" ? `${call.arguments.status} ` : "";
    const label = count === null ? `listed ${status}tasks` : `listed ${count} ${status}task${count === 1 ? "" : "s"}`;
    return { label, detail: label, kind: "list", taskId: null };
  }
  return { label: name, detail: `used ${name}`, kind: "other", taskId };
}

/** True when any of the calls may have changed the task list (so the list should be reloaded). */
export function changesTasks(calls: readonly ToolCall[]): boolean {
  return calls.some((call) => call.name !== "list_tasks");
}
