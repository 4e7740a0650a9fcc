"use client";
import { useEffect, useState } from "react";
import type { TaskStatusFilter } from "@todo/backend/contract";
import { AddTaskForm } from "./AddTaskForm.tsx";
import { ListIcon } from "@/components/icons.tsx";
import { EmptyState, ErrorNotice } from "@/components/Status.tsx";
import { TaskItem } from "./TaskItem.tsx";
import { useTasks } from "../hooks/tasks-store.tsx";

const FILTERS: { value: TaskStatusFilter; label: string }[] = [
  { value: "all", label: "All" },
  { value: "pending", label: "Pending" },
  { value: "completed", label: "Completed" },
];

const EMPTY: Record<TaskStatusFilter, { title: string; body: string }> = {
  all: { title: "No tasks yet", body: "Add one above, or ask the assistant in the chat: “Add a task to buy groceries”." },
  pending: { title: "Nothing pending", body: "Everything is done. Enjoy the quiet." },
  completed: { title: "Nothing completed yet", body: "Tick a task when it is done and it shows up here." },
};

export function TasksView() {
  const { tasks, status, error, refresh } = useTasks();
  const [filter, setFilter] = useState<TaskStatusFilter>("all");
  const [actionError, setActionError] = useState<string | null>(null);

  // Opening the view always shows the latest list (the assistant may have changed it elsewhere).
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const counts: Record<TaskStatusFilter, number> = {
    all: tasks.length,
    pending: tasks.filter((t) => !t.completed).length,
    completed: tasks.filter((t) => t.completed).length,
  };
  const shown = tasks
    .filter((t) => (filter === "all" ? true : filter === "completed" ? t.completed : !t.completed))
    .sort((a, b) => Number(a.completed) - Number(b.completed) || a.id - b.id);

  return (
    <div className="tasks-page">
      <div className="tasks-page__head">
        <h1>Tasks</h1>
        <p className="muted">
          {counts.pending} pending · {counts.completed} completed
        </p>
      </div>
      <AddTaskForm />
      <div className="filters" role="group" aria-label="Show tasks">
        {FILTERS.map((f) => (
          <button
            key={f.value}
            type="button"
            className={`filter${filter === f.value ? " filter--active" : ""}`}
            aria-pressed={filter === f.value}
            onClick={() => setFilter(f.value)}
          >
            {f.label}
            <span className="filter__count">{counts[f.value]}</span>
          </button>
        ))}
      </div>
      {actionError ? <ErrorNotice message={actionError} onRetry={() => setActionError(null)} retryLabel="Dismiss" /> : null}
      {status === "loading" ? (
        <ul className="task-list" aria-busy="true" aria-label="Loading tasks">
          {[0, 1, 2].map((i) => (
            <li key={i} className="task task--skeleton" />
          ))}
        </ul>
      ) : null}
      {status === "error" && error ? <ErrorNotice message={error} onRetry={() => void refresh()} /> : null}
      {status === "ready" ? (
        shown.length === 0 ? (
          <EmptyState title={EMPTY[filter].title} icon={<ListIcon width={28} height={28} />}>
            <p>{EMPTY[filter].body}</p>
          </EmptyState>
        ) : (
          <ul className="task-list" aria-label={`${FILTERS.find((f) => f.value === filter)?.label ?? ""} tasks`}>
            {shown.map((task) => (
              <TaskItem key={task.id} task={task} onError={setActionError} />
            ))}
          </ul>
        )
      ) : null}
    </div>
  );
}
