"use client";
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import type { Task } from "@todo/backend/contract";
import { CheckIcon, EditIcon, TrashIcon } from "@/components/icons.tsx";
import { useTasks } from "../hooks/tasks-store.tsx";

/** One row of the list: complete (checkbox), edit in place (Escape cancels), delete. */
export function TaskItem({ task, onError }: { task: Task; onError(message: string): void }) {
  const { toggle, update, remove } = useTasks();
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(task.title);
  const [description, setDescription] = useState(task.description);
  const [busy, setBusy] = useState(false);
  const titleRef = useRef<HTMLInputElement>(null);
  const ids = { check: useId(), title: useId(), description: useId() };

  useEffect(() => {
    if (editing) titleRef.current?.focus();
  }, [editing]);

  async function run(action: () => Promise<void>) {
    setBusy(true);
    try {
      await action();
    } catch (e) {
      onError(e instanceof Error ? e.message : "That did not work. Please try again.");
    } finally {
      setBusy(false);
    }
  }

  function startEdit() {
    setTitle(task.title);
    setDescription(task.description);
    setEditing(true);
  }

  async function onSave(event: FormEvent) {
    event.preventDefault();
    if (!title.trim()) {
      onError("A task needs a title.");
      return;
    }
    await run(() => update(task.id, { title: title.trim(), description: description.trim() }));
    setEditing(false);
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === "Escape") setEditing(false);
  }

  if (editing) {
    return (
      <li className="task task--editing">
        <form className="task__edit" onSubmit={onSave} onKeyDown={onKeyDown}>
          <div className="field">
            <label htmlFor={ids.title}>Title</label>
            <input id={ids.title} ref={titleRef} value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} />
          </div>
          <div className="field">
            <label htmlFor={ids.description}>Details</label>
            <input id={ids.description} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} />
          </div>
          <div className="task__edit-actions">
            <button type="submit" className="button button--primary button--small" disabled={busy}>
              Save
            </button>
            <button type="button" className="button button--small" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      </li>
    );
  }

  return (
    <li className={`task${task.completed ? " task--done" : ""}`} data-task-id={task.id}>
      <input
        id={ids.check}
        type="checkbox"
        className="task__check"
        checked={task.completed}
        disabled={busy}
        onChange={() => void run(() => toggle(task.id))}
        aria-label={task.completed ? `Mark “${task.title}” as pending` : `Mark “${task.title}” as complete`}
      />
      <span className="task__box" aria-hidden="true">
        <CheckIcon width={14} height={14} />
      </span>
      <div className="task__text">
        <label htmlFor={ids.check} className="task__title">
          {task.title}
        </label>
        {task.description ? <p className="task__description">{task.description}</p> : null}
      </div>
      <span className="task__id" title={`Task number ${task.id}: the assistant knows it by this number`}>
        #{task.id}
      </span>
      <div className="task__actions">
        <button type="button" className="icon-button" onClick={startEdit} aria-label={`Edit “${task.title}”`} title="Edit">
          <EditIcon />
        </button>
        <button
          type="button"
          className="icon-button icon-button--danger"
          onClick={() => void run(() => remove(task.id))}
          disabled={busy}
          aria-label={`Delete “${task.title}”`}
          title="Delete"
        >
          <TrashIcon />
        </button>
      </div>
    </li>
  );
}
