import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";
import { user } from "./auth.ts";

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 2000;
/** The most tasks one account keeps; creating one more answers 409 task_limit_reached. */
export const TASKS_PER_USER_MAX = 1000;

export const tasks = pgTable(
  "tasks",
  {
    id: serial("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => user.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    completed: boolean("completed").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index("tasks_user_id_idx").on(table.userId, table.id),
    check("tasks_title_length", sql`char_length(${table.title}) between 1 and ${sql.raw(String(TITLE_MAX))}`),
    check("tasks_description_length", sql`char_length(${table.description}) <= ${sql.raw(String(DESCRIPTION_MAX))}`),
  ],
);

export type Task = typeof tasks.$inferSelect;

/**
 * One counter per user that changes whenever one of the user's tasks does: a trigger on `tasks`
 * (migration 0003) bumps it in the same transaction as the write, so a reader that sees the version
 * sees the write. The task list cache (tasks/list-cache.ts) is valid while the version is unchanged,
 * on every replica. A user without a row has version 0 (no task ever written).
 */
export const taskListVersions = pgTable("task_list_versions", {
  userId: text("user_id")
    .primaryKey()
    .references(() => user.id, { onDelete: "cascade" }),
  version: bigint("version", { mode: "number" }).notNull(),
});
