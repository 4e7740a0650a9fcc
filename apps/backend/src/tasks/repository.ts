import { and, asc, count, eq, gt, not, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { TASKS_PER_USER_MAX, tasks, type Task } from "../db/schema/tasks.ts";
import { ApiError } from "../http/errors.ts";
import type { Page } from "../http/paging.ts";

export type TaskStatus = "all" | "pending" | "completed";

export interface TaskPatch {
  title?: string | undefined;
  description?: string | undefined;
  completed?: boolean | undefined;
}

// Every query is scoped by user id: another user's task is indistinguishable from a missing one.
const owned = (userId: string, id: number) => and(eq(tasks.userId, userId), eq(tasks.id, id));

/** One page of the user's tasks, oldest first; the cursor is the last id of the page before. */
export async function listTasks(db: Db, userId: string, status: TaskStatus, page: { limit: number; cursor?: number | undefined }): Promise<Page<Task>> {
  const filter = and(
    eq(tasks.userId, userId),
    status === "pending" ? eq(tasks.completed, false) : status === "completed" ? eq(tasks.completed, true) : undefined,
    page.cursor === undefined ? undefined : gt(tasks.id, page.cursor),
  );
  const rows = await db.select().from(tasks).where(filter).orderBy(asc(tasks.id)).limit(page.limit + 1);
  const items = rows.slice(0, page.limit);
  return { items, nextCursor: rows.length > page.limit ? items.at(-1)?.id : undefined };
}

export const taskLimitReached = (): ApiError =>
  new ApiError(409, "task_limit_reached", `you already have ${TASKS_PER_USER_MAX} tasks, the most one account can keep; delete some to add more`);

/** Creates a task unless the user already has TASKS_PER_USER_MAX (counted under a per-user lock, so concurrent creates cannot pass it). */
export async function createTask(db: Db, userId: string, input: { title: string; description?: string | undefined }): Promise<Task> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${userId}))`);
    const [existing] = await tx.select({ n: count() }).from(tasks).where(eq(tasks.userId, userId));
    if ((existing?.n ?? 0) >= TASKS_PER_USER_MAX) throw taskLimitReached();
    const [task] = await tx
      .insert(tasks)
      .values({ userId, title: input.title, description: input.description ?? "" })
      .returning();
    if (!task) throw new Error("insert returned no row");
    return task;
  });
}

export async function getTask(db: Db, userId: string, id: number): Promise<Task | undefined> {
  const [task] = await db.select().from(tasks).where(owned(userId, id));
  return task;
}

export async function updateTask(db: Db, userId: string, id: number, patch: TaskPatch): Promise<Task | undefined> {
  const [task] = await db
    .update(tasks)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(owned(userId, id))
    .returning();
  return task;
}

export async function toggleTask(db: Db, userId: string, id: number): Promise<Task | undefined> {
  const [task] = await db
    .update(tasks)
    .set({ completed: not(tasks.completed), updatedAt: sql`now()` })
    .where(owned(userId, id))
    .returning();
  return task;
}

export async function deleteTask(db: Db, userId: string, id: number): Promise<Task | undefined> {
  const [task] = await db.delete(tasks).where(owned(userId, id)).returning();
  return task;
}
