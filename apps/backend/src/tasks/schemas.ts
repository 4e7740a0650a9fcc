import { z } from "@hono/zod-openapi";
import { createInsertSchema } from "drizzle-zod";
import { DESCRIPTION_MAX, TITLE_MAX, tasks } from "../db/schema/tasks.ts";
import { PageQuery } from "../http/paging.ts";
import { hasNoNul, NO_NUL_MESSAGE } from "../http/text.ts";

// Request schemas derive from the table (drizzle-zod), refined with the limits the table enforces.
const taskColumns = createInsertSchema(tasks, {
  title: (s) => s.trim().min(1, "must not be empty").max(TITLE_MAX, `must be at most ${TITLE_MAX} characters`).refine(hasNoNul, NO_NUL_MESSAGE),
  description: (s) => s.max(DESCRIPTION_MAX, `must be at most ${DESCRIPTION_MAX} characters`).refine(hasNoNul, NO_NUL_MESSAGE),
});

export const CreateTaskBody = taskColumns
  .pick({ title: true, description: true })
  .strict()
  .openapi("CreateTask", { example: { title: "Buy groceries", description: "milk, eggs" } });

export const UpdateTaskBody = taskColumns
  .pick({ title: true, description: true, completed: true })
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: "send at least one of title, description, completed" })
  .openapi("UpdateTask", { example: { title: "Call mom tonight" } });

export const TaskStatusQuery = PageQuery.extend({
  status: z.enum(["all", "pending", "completed"]).default("all").openapi({ description: "which tasks to list" }),
});

export const UserParams = z.object({
  user_id: z.string().min(1).openapi({ param: { name: "user_id", in: "path" }, description: "the signed-in user's id" }),
});

export const TaskParams = UserParams.extend({
  id: z.coerce
    .number({ error: "must be a positive integer" })
    .int("must be a positive integer")
    .positive("must be a positive integer")
    .max(2_147_483_647, "is too large")
    .openapi({ param: { name: "id", in: "path" }, type: "integer", example: 1 }),
});

export const TaskOut = z
  .object({
    id: z.number().int(),
    title: z.string(),
    description: z.string(),
    completed: z.boolean(),
    created_at: z.string().openapi({ format: "date-time" }),
    updated_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Task");

export type TaskOut = z.infer<typeof TaskOut>;
