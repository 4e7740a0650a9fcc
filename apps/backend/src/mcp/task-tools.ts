import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { Db } from "../db/database.ts";
import { isDatabaseUnavailable } from "../db/unavailable.ts";
import { rootMessage } from "../http/error-handler.ts";
import { ApiError } from "../http/errors.ts";
import { hasNoNul, NO_NUL_MESSAGE } from "../http/text.ts";
import { DESCRIPTION_MAX, TITLE_MAX } from "../db/schema/tasks.ts";
import { createTask, deleteTask, listTasks, updateTask } from "../tasks/repository.ts";
import type { ToolCaller } from "./tool-caller.ts";
import type { TaskActionResult, TaskListEntry } from "./tool-results.ts";

const title = z.string().trim().min(1).max(TITLE_MAX).refine(hasNoNul, NO_NUL_MESSAGE).describe("the task's short title");
const description = z.string().max(DESCRIPTION_MAX).refine(hasNoNul, NO_NUL_MESSAGE).describe("optional longer notes");
const taskId = z.number().int().positive().max(2_147_483_647).describe("the task's number, as list_tasks shows it");
// A client may name the user; it must be the caller. The user is bound by the server, never by this.
const userId = z.string().optional().describe("optional; when sent it must be the authenticated user's id");

/** list_tasks answers at most this many tasks per call (default LIST_TOOL_PAGE_DEFAULT), so one chat turn stays small. */
export const LIST_TOOL_PAGE_DEFAULT = 50;
export const LIST_TOOL_PAGE_MAX = 100;

const ok = (value: TaskActionResult): CallToolResult => ({
  content: [{ type: "text", text: JSON.stringify(value) }],
  structuredContent: { ...value },
});

/** The first text part is the JSON list; when more tasks follow, a second one tells the model how to get them. */
const listed = (tasks: TaskListEntry[], nextCursor: number | undefined): CallToolResult => ({
  content: [
    { type: "text", text: JSON.stringify(tasks) },
    ...(nextCursor === undefined ? [] : [{ type: "text" as const, text: `More tasks follow: call list_tasks again with cursor ${nextCursor}.` }]),
  ],
  structuredContent: nextCursor === undefined ? { tasks } : { tasks, next_cursor: nextCursor },
});

const fail = (message: string): CallToolResult => ({
  content: [{ type: "text", text: JSON.stringify({ error: message }) }],
  isError: true,
});

/**
 * A fresh MCP server exposing the five task tools for one authenticated user. Stateless: built per
 * HTTP request (POST /mcp) or per chat turn (in-process), so nothing outlives the request.
 */
export function createTaskMcpServer(db: Db, caller: ToolCaller): McpServer {
  const server = new McpServer({ name: "todo-tasks", version: "0.1.0" });
  const callerId = caller.userId;
  /**
   * A tool that throws (a failing query) answers a generic error naming the request id, never the
   * SDK's default of the raw message (drizzle's holds the SQL and its parameters); the log keeps the cause.
   */
  const safely =
    <A>(tool: string, handler: (args: A) => Promise<CallToolResult>) =>
    async (args: A): Promise<CallToolResult> => {
      try {
        return await handler(args);
      } catch (error) {
        if (error instanceof ApiError) return fail(error.message); // a refusal meant for the user, e.g. the task cap
        const unavailable = isDatabaseUnavailable(error);
        caller.log[unavailable ? "warn" : "error"]({ tool, err: error instanceof Error ? rootMessage(error) : String(error) }, "MCP tool failed");
        return fail(
          unavailable
            ? `the database is unavailable; try again shortly (request id ${caller.requestId})`
            : `${tool} failed on our side and changed nothing (request id ${caller.requestId})`,
        );
      }
    };
  const guard = (claimed: string | undefined): CallToolResult | undefined =>
    claimed !== undefined && claimed !== callerId ? fail("user_id does not match the authenticated user") : undefined;
  const notFound = (id: number) => fail(`task ${id} not found`);

  server.registerTool(
    "add_task",
    { description: "Create a task for the user.", inputSchema: { title, description: description.optional(), user_id: userId } },
    safely("add_task", async (args) => {
      const denied = guard(args.user_id);
      if (denied) return denied;
      const task = await createTask(db, callerId, { title: args.title, description: args.description });
      return ok({ task_id: task.id, status: "created", title: task.title });
    }),
  );

  server.registerTool(
    "list_tasks",
    {
      description:
        `List the user's tasks, oldest first: all (default), pending (not done) or completed; at most ${LIST_TOOL_PAGE_MAX} per call ` +
        `(default ${LIST_TOOL_PAGE_DEFAULT}). When more follow, the result says so and gives the cursor for the next call.`,
      inputSchema: {
        status: z.enum(["all", "pending", "completed"]).optional(),
        limit: z.number().int().min(1).max(LIST_TOOL_PAGE_MAX).optional().describe(`tasks per call, 1 to ${LIST_TOOL_PAGE_MAX} (default ${LIST_TOOL_PAGE_DEFAULT})`),
        cursor: z.number().int().positive().max(2_147_483_647).optional().describe("next_cursor of the previous call, for the tasks after it"),
        user_id: userId,
      },
    },
    safely("list_tasks", async (args) => {
      const denied = guard(args.user_id);
      if (denied) return denied;
      const page = await listTasks(db, callerId, args.status ?? "all", { limit: args.limit ?? LIST_TOOL_PAGE_DEFAULT, cursor: args.cursor });
      const entries = page.items.map((t) => ({ id: t.id, title: t.title, description: t.description, completed: t.completed }));
      return listed(entries, page.nextCursor);
    }),
  );

  server.registerTool(
    "complete_task",
    { description: "Mark a task as completed.", inputSchema: { task_id: taskId, user_id: userId } },
    safely("complete_task", async (args) => {
      const denied = guard(args.user_id);
      if (denied) return denied;
      const task = await updateTask(db, callerId, args.task_id, { completed: true });
      return task ? ok({ task_id: task.id, status: "completed", title: task.title }) : notFound(args.task_id);
    }),
  );

  server.registerTool(
    "delete_task",
    { description: "Delete a task.", inputSchema: { task_id: taskId, user_id: userId } },
    safely("delete_task", async (args) => {
      const denied = guard(args.user_id);
      if (denied) return denied;
      const task = await deleteTask(db, callerId, args.task_id);
      return task ? ok({ task_id: task.id, status: "deleted", title: task.title }) : notFound(args.task_id);
    }),
  );

  server.registerTool(
    "update_task",
    {
      description: "Change a task's title and/or description.",
      inputSchema: { task_id: taskId, title: title.optional(), description: description.optional(), user_id: userId },
    },
    safely("update_task", async (args) => {
      const denied = guard(args.user_id);
      if (denied) return denied;
      if (args.title === undefined && args.description === undefined) return fail("give a new title or description");
      const task = await updateTask(db, callerId, args.task_id, { title: args.title, description: args.description });
      return task ? ok({ task_id: task.id, status: "updated", title: task.title }) : notFound(args.task_id);
    }),
  );

  return server;
}
