import type { TaskListEntry } from "../../mcp/tool-results.ts";

/** The offline assistant's sentences, kept apart from the logic that picks them. */
export const EXAMPLES = `"Add a task to buy groceries", "What's pending?", "Mark task 3 as complete", "Delete task 2" or "Change task 1 to 'Call mom tonight'"`;

export const replies = {
  added: (title: string, id: number) => `Got it! I added "${title}" to your tasks (task ${id}).`,
  completed: (title: string, id: number) => `Nice work! I marked "${title}" (task ${id}) as complete.`,
  deleted: (title: string, id: number) => `Done. I deleted "${title}" (task ${id}).`,
  updated: (title: string, id: number) => `Updated! Task ${id} is now "${title}".`,
  notFound: (id: number) => `I couldn't find task ${id} in your list. Say "Show me all my tasks" to see the numbers.`,
  noMatch: (words: string) => `I couldn't find a task matching "${words}". Say "Show me all my tasks" to see them, then use its number.`,
  ambiguous: (words: string, matches: TaskListEntry[]) =>
    `More than one task matches "${words}":\n${formatList(matches)}\nWhich one? Say it with its number, e.g. "task ${matches[0]?.id ?? 1}".`,
  failed: (reason: string) => `Sorry, that didn't work: ${reason}.`,
  greeting: () => `Hi! I can manage your tasks. Try ${EXAMPLES}.`,
  unknown: () => `Sorry, I didn't understand that. I can add, list, complete, delete or update tasks — for example ${EXAMPLES}.`,
  /** `more`: further tasks follow the ones listed (list_tasks answers a page at a time) */
  list: (status: "all" | "pending" | "completed", tasks: TaskListEntry[], more = false) => {
    if (tasks.length === 0) {
      if (status === "pending") return "Nothing pending — you're all caught up!";
      if (status === "completed") return "You haven't completed any tasks yet.";
      return `You have no tasks yet. Try "Add a task to buy groceries".`;
    }
    if (more) {
      const which = status === "all" ? "" : `${status} `;
      return `Here are your first ${tasks.length} ${which}tasks:\n${formatList(tasks)}\nThere are more; the Tasks page shows them all.`;
    }
    const heading =
      status === "pending"
        ? `You have ${count(tasks.length)} pending:`
        : status === "completed"
          ? `You've completed ${count(tasks.length)}:`
          : `Here are all your tasks (${tasks.length}):`;
    return `${heading}\n${formatList(tasks)}`;
  },
};

const count = (n: number): string => (n === 1 ? "1 task" : `${n} tasks`);

export function formatList(tasks: TaskListEntry[]): string {
  return tasks.map((t) => `${t.id}. ${t.completed ? "[x]" : "[ ]"} ${t.title}`).join("\n");
}
