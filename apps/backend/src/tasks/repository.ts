import { and, asc, eq, not, sql } from "drizzle-orm";
import type { Db } from "../db/database.ts";
import { tasks, type Task } from "../db/schema/tasks.ts";

export type TaskStatus = "all" | "pending" | "completed";

export interface TaskPatch {
  title?: string | undefined;
  description?: string | undefined;
  completed?: boolean | undefined;
}

// Every query is scoped by user id: another user's task is indistinguishable from a missing one.
const owned = (userId: string, id: number) => and(eq(tasks.userId, userId), eq(tasks.id, id));

export async function listTasks(db: Db, userId: string, status: TaskStatus = "all"): Promise<Task[]> {
  const filter =
    status === "pending"
      ? and(eq(tasks.userId, userId), eq(tasks.completed, false))
      : status === "completed"
        ? and(eq(tasks.userId, userId), eq(tasks.completed, true))
        : eq(tasks.userId, userId);
  return db.select().from(tasks).where(filter).orderBy(asc(tasks.id));
}

export async function createTask(db: Db, userId: string, input: { title: string; description?: string | undefined }): Promise<Task> {
  const [task] = await db
    .insert(tasks)
    .values({ userId, title: input.title, description: input.description ?? "" })
    .returning();
  if (!task) throw new Error("insert returned no row");
  return task;
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
