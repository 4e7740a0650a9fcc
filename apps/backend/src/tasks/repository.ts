import { and, asc, count, eq, gt, not, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Db } from "../db/database.ts";
import { TASKS_PER_USER_MAX, taskListVersions, tasks } from "../db/schema/tasks.ts";
import { ApiError } from "../http/errors.ts";
import type { Page } from "../http/paging.ts";
import type { TaskOut } from "./schemas.ts";

export type TaskStatus = "all" | "pending" | "completed";

export interface TaskPatch {
  title?: string | undefined;
  description?: string | undefined;
  completed?: boolean | undefined;
}

/**
 * A timestamp as the API writes it: ISO 8601 in UTC with milliseconds, the text Date#toISOString
 * gives (PostgreSQL truncates to milliseconds as JavaScript's Date parsing does).
 */
const isoTime = (column: PgColumn) => sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The columns of a task, selected in the API's shape (TaskOut): rows need no mapping before they are sent. */
const taskOut = {
  id: tasks.id,
  title: tasks.title,
  description: tasks.description,
  completed: tasks.completed,
  created_at: isoTime(tasks.createdAt).as("created_at"),
  updated_at: isoTime(tasks.updatedAt).as("updated_at"),
};

const userId = sql.placeholder("userId");
const taskId = sql.placeholder("id");
// Every query is scoped by user id: another user's task is indistinguishable from a missing one.
const owned = and(eq(tasks.userId, userId), eq(tasks.id, taskId));

type Run<Row> = (values: Record<string, unknown>) => Promise<Row[]>;

/**
 * The fixed-shape task queries, built once per database (drizzle builds the SQL; PostgreSQL gets them
 * as named prepared statements). They run without drizzle's per-request SQL building and row mapping:
 * the rows come back from the driver already in the API's shape.
 */
function prepareStatements(db: Db) {
  const statement = <Row>(name: string, query: { toSQL(): { sql: string; params: unknown[] } }): Run<Row> => {
    const prepared = db._.session.prepareQuery(query.toSQL(), undefined, name, false);
    return async (values) => ((await prepared.execute(values)) as { rows: Row[] }).rows;
  };
  const list = (name: string, filter: SQL | undefined, after: boolean): Run<TaskOut> =>
    statement(
      name,
      db
        .select(taskOut)
        .from(tasks)
        .where(and(eq(tasks.userId, userId), filter, after ? gt(tasks.id, sql.placeholder("cursor")) : undefined))
        .orderBy(asc(tasks.id))
        .limit(sql.placeholder("limit")),
    );
  const filters: Record<TaskStatus, SQL | undefined> = { all: undefined, pending: eq(tasks.completed, false), completed: eq(tasks.completed, true) };
  const lists = Object.fromEntries(
    (Object.keys(filters) as TaskStatus[]).map((status) => [status, { first: list(`tasks_list_${status}`, filters[status], false), after: list(`tasks_list_${status}_after`, filters[status], true) }]),
  ) as Record<TaskStatus, { first: Run<TaskOut>; after: Run<TaskOut> }>;
  return {
    lists,
    get: statement<TaskOut>("tasks_get", db.select(taskOut).from(tasks).where(owned)),
    versions: statement<{ user_id: string; version: string | number }>(
      "tasks_list_versions",
      db
        .select({ user_id: taskListVersions.userId, version: taskListVersions.version })
        .from(taskListVersions)
        .where(sql`${taskListVersions.userId} = any(${sql.placeholder("userIds")})`),
    ),
    toggle: statement<TaskOut>("tasks_toggle", db.update(tasks).set({ completed: not(tasks.completed), updatedAt: sql`now()` }).where(owned).returning(taskOut)),
    remove: statement<TaskOut>("tasks_delete", db.delete(tasks).where(owned).returning(taskOut)),
  };
}

const statementsByDb = new WeakMap<Db, ReturnType<typeof prepareStatements>>();
const statementsOf = (db: Db): ReturnType<typeof prepareStatements> => {
  let statements = statementsByDb.get(db);
  if (!statements) statementsByDb.set(db, (statements = prepareStatements(db)));
  return statements;
};

/** One page of the user's tasks, oldest first; the cursor is the last id of the page before. */
export async function listTasks(db: Db, userId: string, status: TaskStatus, page: { limit: number; cursor?: number | undefined }): Promise<Page<TaskOut>> {
  const { first, after } = statementsOf(db).lists[status];
  const rows = page.cursor === undefined ? await first({ userId, limit: page.limit + 1 }) : await after({ userId, limit: page.limit + 1, cursor: page.cursor });
  if (rows.length <= page.limit) return { items: rows, nextCursor: undefined };
  const items = rows.slice(0, page.limit);
  return { items, nextCursor: items.at(-1)?.id };
}

/**
 * The task list versions of these users, read in one query: a version changes in the same transaction
 * as every write to the user's tasks (a trigger, migration 0003), so equal versions mean an unchanged
 * list. A user who never had a task is missing from the map (version 0).
 */
export async function readTaskListVersions(db: Db, userIds: readonly string[]): Promise<Map<string, number>> {
  const rows = await statementsOf(db).versions({ userIds });
  // a bigint: node-postgres returns it as text
  return new Map(rows.map((row) => [row.user_id, Number(row.version)]));
}

export const taskLimitReached = (): ApiError =>
  new ApiError(409, "task_limit_reached", `you already have ${TASKS_PER_USER_MAX} tasks, the most one account can keep; delete some to add more`);

/** Creates a task unless the user already has TASKS_PER_USER_MAX (counted under a per-user lock, so concurrent creates cannot pass it). */
export async function createTask(db: Db, userId: string, input: { title: string; description?: string | undefined }): Promise<TaskOut> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${userId}))`);
    const [existing] = await tx.select({ n: count() }).from(tasks).where(eq(tasks.userId, userId));
    if ((existing?.n ?? 0) >= TASKS_PER_USER_MAX) throw taskLimitReached();
    const [task] = await tx
      .insert(tasks)
      .values({ userId, title: input.title, description: input.description ?? "" })
      .returning(taskOut);
    if (!task) throw new Error("insert returned no row");
    return task;
  });
}

export async function getTask(db: Db, userId: string, id: number): Promise<TaskOut | undefined> {
  const [task] = await statementsOf(db).get({ userId, id });
  return task;
}

export async function updateTask(db: Db, userId: string, id: number, patch: TaskPatch): Promise<TaskOut | undefined> {
  const [task] = await db
    .update(tasks)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(and(eq(tasks.userId, userId), eq(tasks.id, id)))
    .returning(taskOut);
  return task;
}

export async function toggleTask(db: Db, userId: string, id: number): Promise<TaskOut | undefined> {
  const [task] = await statementsOf(db).toggle({ userId, id });
  return task;
}

export async function deleteTask(db: Db, userId: string, id: number): Promise<TaskOut | undefined> {
  const [task] = await statementsOf(db).remove({ userId, id });
  return task;
}
