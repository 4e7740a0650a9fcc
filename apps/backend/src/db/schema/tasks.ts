import { sql } from "drizzle-orm";
import { boolean, check, index, pgTable, serial, text, timestamp } from "drizzle-orm/pg-core";
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
