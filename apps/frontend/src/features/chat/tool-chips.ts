import type { ToolCall } from "@/lib/types.ts";

/** What a chip under an assistant message says, e.g. "added task 4". */
export interface Chip {
  label: string;
  /** longer text for the tooltip / screen readers, e.g. the task's title */
  detail: string;
  kind: "add" | "complete" | "delete" | "update" | "list" | "error" | "other";
  /** the id of the task the call touched, when there is one */
  taskId: number | null;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

function taskIdOf(call: ToolCall): number | null {
  const fromResult = isObject(call.result) ? (call.result.task_id ?? call.result.taskId ?? call.result.id) : undefined;
  const raw = fromResult ?? call.arguments.task_id ?? call.arguments.taskId;
  const id = typeof raw === "string" ? Number(raw) : raw;
  return typeof id === "number" && Number.isInteger(id) ? id : null;
}

function titleOf(call: ToolCall): string {
  const title = (isObject(call.result) ? call.result.title : undefined) ?? call.arguments.title;
  return typeof title === "string" ? title : "";
}

/** The error a tool reported, if any: {error: "..."} / {error: {message}} / a plain "... not found" text. */
function errorOf(result: unknown): string | null {
  if (isObject(result)) {
    const error = result.error;
    if (typeof error === "string") return error;
    if (isObject(error) && typeof error.message === "string") return error.message;
    if (result.isError === true || result.is_error === true) return "the tool reported an error";
    return null;
  }
  if (typeof result === "string" && /\b(not found|error|failed|invalid)\b/i.test(result)) return result;
  return null;
}

const VERBS: Record<string, { verb: string; kind: Chip["kind"] }> = {
  add_task: { verb: "added", kind: "add" },
  complete_task: { verb: "completed", kind: "complete" },
  delete_task: { verb: "deleted", kind: "delete" },
  update_task: { verb: "updated", kind: "update" },
};

export function chipFor(call: ToolCall): Chip {
  const taskId = taskIdOf(call);
  const title = titleOf(call);
  const error = errorOf(call.result);
  const action = call.name.replace(/_/g, " ");
  if (error !== null) {
    const target = taskId !== null ? ` task ${taskId}` : "";
    return { label: `could not ${action.replace(/ task$/, "")}${target}`, detail: error, kind: "error", taskId };
  }
  const known = VERBS[call.name];
  if (known) {
    const label = taskId !== null ? `${known.verb} task ${taskId}` : `${known.verb} a task`;
    // complete_task toggles on some backends: believe the result's status when it says otherwise.
    const status = isObject(call.result) && typeof call.result.status === "string" ? call.result.status : "";
    const finalLabel = call.name === "complete_task" && status === "pending" && taskId !== null ? `reopened task ${taskId}` : label;
    return { label: finalLabel, detail: title ? `${finalLabel}: ${title}` : finalLabel, kind: known.kind, taskId };
  }
  if (call.name === "list_tasks") {
    const list = isObject(call.result) ? call.result.tasks : call.result;
    const count = Array.isArray(list) ? list.length : null;
    const status = typeof call.arguments.status === "string" && call.arguments.status !== "all" ? `${call.arguments.status} ` : "";
    const label = count === null ? `listed ${status}tasks` : `listed ${count} ${status}task${count === 1 ? "" : "s"}`;
    return { label, detail: label, kind: "list", taskId: null };
  }
  return { label: action, detail: `used ${action}`, kind: "other", taskId };
}

/** True when any of the calls may have changed the task list (so the list should be reloaded). */
export function changesTasks(calls: readonly ToolCall[]): boolean {
  return calls.some((call) => call.name !== "list_tasks");
}
