"use client";
import Link from "next/link";
import { CheckIcon } from "@/components/icons.tsx";
import { ErrorNotice, Spinner } from "@/components/Status.tsx";
import { useTasks } from "../hooks/tasks-store.tsx";

/** The chat's side panel: the task list at a glance, updated whenever the assistant acts. */
export function TaskPanel() {
  const { tasks, status, error, refresh } = useTasks();
  const pending = tasks.filter((t) => !t.completed);
  const done = tasks.length - pending.length;
  return (
    <aside className="task-panel" aria-label="Your tasks">
      <div className="task-panel__head">
        <h2 className="section-label">Your tasks</h2>
        <Link href="/tasks" className="small">
          Open list
        </Link>
      </div>
      {status === "loading" ? <Spinner label="Loading tasks…" /> : null}
      {status === "error" && error ? <ErrorNotice message={error} onRetry={() => void refresh()} /> : null}
      {status === "ready" ? (
        <>
          <p className="task-panel__summary">
            <strong>{pending.length}</strong> pending · <strong>{done}</strong> done
          </p>
          {tasks.length === 0 ? <p className="muted small">Nothing here yet. Try “Add a task to buy groceries”.</p> : null}
          <ul className="mini-tasks">
            {tasks.slice(0, 12).map((t) => (
              <li key={t.id} className={`mini-task${t.completed ? " mini-task--done" : ""}`}>
                <span className="mini-task__check" aria-hidden="true">
                  {t.completed ? <CheckIcon width={12} height={12} /> : null}
                </span>
                <span className="mini-task__id">#{t.id}</span>
                <span className="mini-task__title">{t.title}</span>
                <span className="visually-hidden">{t.completed ? "(completed)" : "(pending)"}</span>
              </li>
            ))}
          </ul>
          {tasks.length > 12 ? (
            <Link href="/tasks" className="small">
              and {tasks.length - 12} more…
            </Link>
          ) : null}
        </>
      ) : null}
    </aside>
  );
}
