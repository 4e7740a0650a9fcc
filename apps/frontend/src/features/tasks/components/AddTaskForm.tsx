"use client";
import { useId, useState, type FormEvent } from "react";
import { PlusIcon } from "@/components/icons.tsx";
import { Spinner } from "@/components/Status.tsx";
import { useTasks } from "../hooks/tasks-store.tsx";

export function AddTaskForm() {
  const { add } = useTasks();
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ids = { title: useId(), description: useId() };

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const trimmed = title.trim();
    if (!trimmed) {
      setError("Give the task a title.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await add(trimmed, description.trim());
      setTitle("");
      setDescription("");
    } catch (e) {
      setError(e instanceof Error ? e.message : "Could not add the task.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="add-task card" onSubmit={onSubmit}>
      <div className="add-task__fields">
        <div className="field">
          <label htmlFor={ids.title}>New task</label>
          <input id={ids.title} value={title} onChange={(e) => setTitle(e.target.value)} placeholder="e.g. Buy groceries" maxLength={200} />
        </div>
        <div className="field">
          <label htmlFor={ids.description}>
            Details <span className="muted">(optional)</span>
          </label>
          <input
            id={ids.description}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            placeholder="Milk, eggs, bread"
            maxLength={2000}
          />
        </div>
        <button type="submit" className="button button--primary add-task__submit" disabled={busy}>
          {busy ? <Spinner /> : <PlusIcon />}
          Add task
        </button>
      </div>
      {error ? (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
