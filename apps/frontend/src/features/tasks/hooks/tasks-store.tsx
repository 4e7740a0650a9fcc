"use client";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { errorMessage as message } from "@/lib/http.ts";
import { tasksApi } from "../api.ts";
import type { Task } from "@todo/backend/contract";

type Status = "loading" | "ready" | "error";

interface TasksState {
  tasks: Task[];
  status: Status;
  error: string | null;
  /** reloads the list from the backend (after the assistant acted, or on demand) */
  refresh(): Promise<void>;
  add(title: string, description: string): Promise<void>;
  update(id: number, input: { title: string; description: string }): Promise<void>;
  toggle(id: number): Promise<void>;
  remove(id: number): Promise<void>;
}

const TasksContext = createContext<TasksState | null>(null);


/**
 * One task list shared by the chat (its side panel) and the tasks view, so an action taken by the
 * assistant shows up everywhere without a reload. Mutations update the list optimistically and then
 * reload it, so the server's word wins.
 */
export function TasksProvider({ userId, children }: { userId: string; children: ReactNode }) {
  const [tasks, setTasks] = useState<Task[]>([]);
  const [status, setStatus] = useState<Status>("loading");
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);

  const refresh = useCallback(async () => {
    const mine = ++generation.current;
    try {
      const list = await tasksApi.list(userId, "all");
      if (mine !== generation.current) return; // a newer reload is on its way
      setTasks(list);
      setStatus("ready");
      setError(null);
    } catch (e) {
      if (mine !== generation.current) return;
      setError(message(e));
      setStatus((s) => (s === "loading" ? "error" : s));
    }
  }, [userId]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const mutate = useCallback(
    async (optimistic: (list: Task[]) => Task[], call: () => Promise<unknown>) => {
      const before = tasks;
      setTasks(optimistic);
      try {
        await call();
        setError(null);
      } catch (e) {
        setTasks(before);
        throw new Error(message(e), { cause: e });
      } finally {
        void refresh();
      }
    },
    [tasks, refresh],
  );

  const value = useMemo<TasksState>(
    () => ({
      tasks,
      status,
      error,
      refresh,
      add: async (title, description) => {
        const created = await tasksApi.create(userId, { title, description }).catch((e: unknown) => {
          throw new Error(message(e), { cause: e });
        });
        setTasks((list) => [...list.filter((t) => t.id !== created.id), created]);
        void refresh();
      },
      update: (id, input) => mutate((list) => list.map((t) => (t.id === id ? { ...t, ...input } : t)), () => tasksApi.update(userId, id, input)),
      toggle: (id) => mutate((list) => list.map((t) => (t.id === id ? { ...t, completed: !t.completed } : t)), () => tasksApi.toggle(userId, id)),
      remove: (id) => mutate((list) => list.filter((t) => t.id !== id), () => tasksApi.remove(userId, id)),
    }),
    [tasks, status, error, refresh, mutate, userId],
  );

  return <TasksContext.Provider value={value}>{children}</TasksContext.Provider>;
}

export function useTasks(): TasksState {
  const state = useContext(TasksContext);
  if (!state) throw new Error("useTasks() must be used inside <TasksProvider>");
  return state;
}
