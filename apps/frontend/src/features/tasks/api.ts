"use client";
import { request, userPath } from "@/lib/http.ts";
import { toTask, toTasks } from "@/lib/normalize.ts";
import type { Task, TaskFilter } from "@/lib/types.ts";

/** The tasks API: /api/{user_id}/tasks. */
export const tasksApi = {
  list(userId: string, status: TaskFilter = "all"): Promise<Task[]> {
    return request(`${userPath(userId)}/tasks?status=${status}`, { method: "GET" }, toTasks);
  },
  create(userId: string, input: { title: string; description?: string }): Promise<Task | null> {
    return request(`${userPath(userId)}/tasks`, { method: "POST", body: JSON.stringify(input) }, toTask);
  },
  update(userId: string, id: number, input: { title?: string; description?: string; completed?: boolean }): Promise<Task | null> {
    return request(`${userPath(userId)}/tasks/${id}`, { method: "PUT", body: JSON.stringify(input) }, toTask);
  },
  toggle(userId: string, id: number): Promise<Task | null> {
    return request(`${userPath(userId)}/tasks/${id}/complete`, { method: "PATCH" }, toTask);
  },
  remove(userId: string, id: number): Promise<void> {
    return request(`${userPath(userId)}/tasks/${id}`, { method: "DELETE" }, () => undefined);
  },
};
