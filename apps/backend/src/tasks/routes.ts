import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { Db } from "../db/database.ts";
import type { AppEnv } from "../http/app-env.ts";
import { errorResponses, notFound } from "../http/errors.ts";
import { NEXT_CURSOR_HEADER, PAGE_DEFAULT, PAGE_MAX, pageHeaders } from "../http/paging.ts";
import { sendJsonBody } from "../http/json-body.ts";
import { validationHook } from "../http/validation.ts";
import { TASKS_PER_USER_MAX } from "../db/schema/tasks.ts";
import { cachedTaskPage, type TaskListCache } from "./list-cache.ts";
import { TaskListVersionReader } from "./list-versions.ts";
import { createTask, deleteTask, getTask, readTaskListVersions, toggleTask, updateTask } from "./repository.ts";
import { CreateTaskBody, TaskOut, TaskParams, TaskStatusQuery, UpdateTaskBody, UserParams } from "./schemas.ts";

const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { sessionCookie: [] }];
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });

const list = createRoute({
  method: "get",
  path: "/api/{user_id}/tasks",
  tags: ["tasks"],
  summary: "List the caller's tasks, a page at a time",
  description: `Oldest first, \`limit\` per page (default ${PAGE_DEFAULT}, at most ${PAGE_MAX}). When more follow, the ${NEXT_CURSOR_HEADER} header holds the \`cursor\` of the next page.`,
  security,
  request: { params: UserParams, query: TaskStatusQuery },
  responses: { 200: { ...json(z.array(TaskOut), "one page of tasks, oldest first"), headers: pageHeaders }, ...errorResponses(400, 401, 403, 503) },
});

const create = createRoute({
  method: "post",
  path: "/api/{user_id}/tasks",
  tags: ["tasks"],
  summary: "Create a task",
  description: `An account keeps at most ${TASKS_PER_USER_MAX} tasks: one more answers 409 task_limit_reached.`,
  security,
  request: { params: UserParams, body: { required: true, content: { "application/json": { schema: CreateTaskBody } } } },
  responses: { 201: json(TaskOut, "the new task"), ...errorResponses(400, 401, 403, 409, 413, 503) },
});

const read = createRoute({
  method: "get",
  path: "/api/{user_id}/tasks/{id}",
  tags: ["tasks"],
  summary: "Read one task",
  security,
  request: { params: TaskParams },
  responses: { 200: json(TaskOut, "the task"), ...errorResponses(400, 401, 403, 404, 503) },
});

const update = createRoute({
  method: "put",
  path: "/api/{user_id}/tasks/{id}",
  tags: ["tasks"],
  summary: "Update a task's title, description or completion",
  security,
  request: { params: TaskParams, body: { required: true, content: { "application/json": { schema: UpdateTaskBody } } } },
  responses: { 200: json(TaskOut, "the updated task"), ...errorResponses(400, 401, 403, 404, 413, 503) },
});

const remove = createRoute({
  method: "delete",
  path: "/api/{user_id}/tasks/{id}",
  tags: ["tasks"],
  summary: "Delete a task",
  security,
  request: { params: TaskParams },
  responses: { 204: { description: "deleted" }, ...errorResponses(400, 401, 403, 404, 503) },
});

const complete = createRoute({
  method: "patch",
  path: "/api/{user_id}/tasks/{id}/complete",
  tags: ["tasks"],
  summary: "Toggle a task's completion",
  security,
  request: { params: TaskParams },
  responses: { 200: json(TaskOut, "the task with completion flipped"), ...errorResponses(400, 401, 403, 404, 503) },
});

export function taskRoutes(db: Db, signedIn: MiddlewareHandler<AppEnv>, taskLists: TaskListCache) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use("/api/:user_id/tasks", signedIn);
  app.use("/api/:user_id/tasks/*", signedIn);

  const versions = new TaskListVersionReader((userIds) => readTaskListVersions(db, userIds));
  app.openapi(list, async (c) => {
    const { status, limit, cursor } = c.req.valid("query");
    const page = await cachedTaskPage(db, taskLists, versions, c.get("user").id, status, { limit, cursor });
    if (page.nextCursor !== undefined) c.header(NEXT_CURSOR_HEADER, String(page.nextCursor));
    return sendJsonBody(c, page.body, 200);
  });

  app.openapi(create, async (c) => {
    const task = await createTask(db, c.get("user").id, c.req.valid("json"));
    return c.json(task, 201);
  });

  app.openapi(read, async (c) => {
    const { id } = c.req.valid("param");
    const task = await getTask(db, c.get("user").id, id);
    if (!task) throw notFound(`task ${id}`);
    return c.json(task, 200);
  });

  app.openapi(update, async (c) => {
    const { id } = c.req.valid("param");
    const task = await updateTask(db, c.get("user").id, id, c.req.valid("json"));
    if (!task) throw notFound(`task ${id}`);
    return c.json(task, 200);
  });

  app.openapi(remove, async (c) => {
    const { id } = c.req.valid("param");
    const task = await deleteTask(db, c.get("user").id, id);
    if (!task) throw notFound(`task ${id}`);
    return c.body(null, 204);
  });

  app.openapi(complete, async (c) => {
    const { id } = c.req.valid("param");
    const task = await toggleTask(db, c.get("user").id, id);
    if (!task) throw notFound(`task ${id}`);
    return c.json(task, 200);
  });

  return app;
}
