"use client";
import { toChatReply, toConversations, toMessages, toTask, toTasks } from "./normalize.ts";
import type { ChatMessage, ChatReply, Conversation, Task, TaskFilter } from "./types.ts";

/** An API call that failed, with a message fit to show the user. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
  }
}

const FRIENDLY: Record<number, string> = {
  401: "Your session has ended. Please sign in again.",
  403: "You are not allowed to do that.",
  404: "That item no longer exists.",
  413: "That is too long to send.",
  429: "You are sending messages too quickly. Wait a moment and try again.",
  502: "The server cannot be reached right now. Please try again in a moment.",
  503: "The service is starting up or its database is unavailable. Please try again shortly.",
  504: "The server took too long to answer. Please try again.",
};

async function request<T>(path: string, init: RequestInit, parse: (body: unknown) => T): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      ...init,
      credentials: "same-origin",
      headers: { accept: "application/json", ...(init.body ? { "content-type": "application/json" } : {}), ...init.headers },
    });
  } catch {
    throw new ApiError(0, "NETWORK", "You appear to be offline. Check your connection and try again.");
  }
  const text = await response.text();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = text;
    }
  }
  if (!response.ok) {
    const error = typeof body === "object" && body !== null ? (body as { error?: { code?: unknown; message?: unknown } }).error : undefined;
    const code = typeof error?.code === "string" ? error.code : `HTTP_${response.status}`;
    // 400s carry a message naming the field, which is worth showing as is.
    const message =
      response.status === 400 && typeof error?.message === "string"
        ? error.message
        : (FRIENDLY[response.status] ?? (typeof error?.message === "string" ? error.message : `Request failed (HTTP ${response.status}).`));
    throw new ApiError(response.status, code, message);
  }
  return parse(body);
}

const base = (userId: string): string => `/api/${encodeURIComponent(userId)}`;

export const api = {
  listTasks(userId: string, status: TaskFilter = "all"): Promise<Task[]> {
    return request(`${base(userId)}/tasks?status=${status}`, { method: "GET" }, toTasks);
  },
  createTask(userId: string, input: { title: string; description?: string }): Promise<Task | null> {
    return request(`${base(userId)}/tasks`, { method: "POST", body: JSON.stringify(input) }, toTask);
  },
  updateTask(userId: string, id: number, input: { title?: string; description?: string; completed?: boolean }): Promise<Task | null> {
    return request(`${base(userId)}/tasks/${id}`, { method: "PUT", body: JSON.stringify(input) }, toTask);
  },
  toggleTask(userId: string, id: number): Promise<Task | null> {
    return request(`${base(userId)}/tasks/${id}/complete`, { method: "PATCH" }, toTask);
  },
  deleteTask(userId: string, id: number): Promise<void> {
    return request(`${base(userId)}/tasks/${id}`, { method: "DELETE" }, () => undefined);
  },
  sendChat(userId: string, message: string, conversationId: number | null): Promise<ChatReply> {
    const body = conversationId === null ? { message } : { conversation_id: conversationId, message };
    return request(`${base(userId)}/chat`, { method: "POST", body: JSON.stringify(body) }, toChatReply);
  },
  listConversations(userId: string): Promise<Conversation[]> {
    return request(`${base(userId)}/conversations`, { method: "GET" }, toConversations);
  },
  listMessages(userId: string, conversationId: number): Promise<ChatMessage[]> {
    return request(`${base(userId)}/conversations/${conversationId}/messages`, { method: "GET" }, toMessages);
  },
};
