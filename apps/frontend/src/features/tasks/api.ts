"use client";
import type { CreateTaskRequest, Task, TaskStatusFilter, UpdateTaskRequest } from "@todo/backend/contract";
import { request, userPath } from "@/lib/http.ts";

/** The tasks API, /api/{user_id}/tasks, typed by the backend's contract. */
export const tasksApi = {
  list(userId: string, status: TaskStatusFilter = "all"): Promise<Task[]> {
    return request(`${userPath(userId)}/tasks?status=${status}`, { method: "GET" });
  },
  create(userId: string, input: CreateTaskRequest): Promise<Task> {
    return request(`${userPath(userId)}/tasks`, { method: "POST", body: JSON.stringify(input) });
  },
  update(userId: string, id: number, input: UpdateTaskRequest): Promise<Task> {
    return request(`${userPath(userId)}/tasks/${id}`, { method: "PUT", body: JSON.stringify(input) });
  },
  toggle(userId: string, id: number): Promise<Task> {
    return request(`${userPath(userId)}/tasks/${id}/complete`, { method: "PATCH" });
  },
  remove(userId: string, id: number): Promise<void> {
    return request(`${userPath(userId)}/tasks/${id}`, { method: "DELETE" });
  },
};
