"use client";
import type { ErrorBody } from "@todo/backend/contract";

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

function isErrorBody(body: unknown): body is ErrorBody {
  if (typeof body !== "object" || body === null || !("error" in body)) return false;
  const { error } = body;
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" && "message" in error && typeof error.message === "string";
}

/**
 * Calls the API (same origin, through the /api proxy) and turns a failure into an ApiError. `T` is the
 * answer's type from the backend's contract (@todo/backend/contract): the body is the backend's own
 * JSON, used as it is.
 */
export async function request<T>(path: string, init: RequestInit): Promise<T> {
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
    // Every error the backend and the proxy send has the contract's shape; anything else (an HTML
    // page from something in between) gets a message from the status alone.
    const error = isErrorBody(body) ? body.error : undefined;
    const code = error?.code ?? `HTTP_${response.status}`;
    // 400s carry a message naming the field, which is worth showing as is.
    const message =
      response.status === 400 && error
        ? error.message
        : (FRIENDLY[response.status] ?? error?.message ?? `Request failed (HTTP ${response.status}).`);
    throw new ApiError(response.status, code, message);
  }
  return body as T;
}

/** The path prefix of a user's resources: /api/{user_id}. */
export const userPath = (userId: string): string => `/api/${encodeURIComponent(userId)}`;

/** What to show for a failed call: an ApiError's message is written for people already. */
export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : "Something went wrong.");
