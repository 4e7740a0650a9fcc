"use client";

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

/** Calls the API (same origin, through the /api proxy) and turns a failure into an ApiError. */
export async function request<T>(path: string, init: RequestInit, parse: (body: unknown) => T): Promise<T> {
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

/** The path prefix of a user's resources: /api/{user_id}. */
export const userPath = (userId: string): string => `/api/${encodeURIComponent(userId)}`;
