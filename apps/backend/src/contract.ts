/**
 * The API contract for clients in this repository (the frontend): types only, each inferred from the
 * zod schema the routes validate with and document in /openapi.json. Import it with `import type`
 * from "@todo/backend/contract"; nothing here exists at run time, so no backend code reaches a client
 * bundle. A field renamed in a schema is renamed here too, and a client that still uses the old name
 * no longer typechecks.
 */
import type { z } from "@hono/zod-openapi";
import type { ChatBody, ChatReply as ChatReplySchema } from "./chat/schemas.ts";
import type { ConversationOut, MessageOut, ToolCallOut } from "./conversations/schemas.ts";
import type { ErrorBody as ErrorBodySchema } from "./http/errors.ts";
import type { CreateTaskBody, TaskOut, TaskStatusQuery, UpdateTaskBody } from "./tasks/schemas.ts";

export type { TaskActionResult, TaskListEntry, ToolResult } from "./mcp/tool-results.ts";

/** GET/POST/PUT/PATCH /api/{user_id}/tasks[/{id}[/complete]] answer one; GET /tasks answers a list. */
export type Task = z.output<typeof TaskOut>;
/** POST /api/{user_id}/tasks */
export type CreateTaskRequest = z.input<typeof CreateTaskBody>;
/** PUT /api/{user_id}/tasks/{id} */
export type UpdateTaskRequest = z.input<typeof UpdateTaskBody>;
/** the `status` query of GET /api/{user_id}/tasks */
export type TaskStatusFilter = NonNullable<z.input<typeof TaskStatusQuery>["status"]>;

/** GET /api/{user_id}/conversations answers a list of these. */
export type Conversation = z.output<typeof ConversationOut>;
/** GET /api/{user_id}/conversations/{id}/messages answers a list of these. */
export type Message = z.output<typeof MessageOut>;
/** One tool call the assistant made; a stored "tool" message holds one as JSON text in `content`. */
export type ToolCall = z.output<typeof ToolCallOut>;

/** POST /api/{user_id}/chat */
export type ChatRequest = z.input<typeof ChatBody>;
export type ChatReply = z.output<typeof ChatReplySchema>;

/** Every error answer: {"error": {"code", "message", "details?"}}. */
export type ErrorBody = z.output<typeof ErrorBodySchema>;
