import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The one error shape of the API: {"error": {"code", "message", "details?"}}. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "not_found" }),
      message: z.string().openapi({ example: "task 42 not found" }),
      details: z.unknown().optional(),
    }),
  })
  .openapi("Error");

export type ErrorBody = z.infer<typeof ErrorBody>;

/** Thrown anywhere in a handler; the app's error handler turns it into the error shape. */
export class ApiError extends Error {
  override name = "ApiError";
  readonly status: ContentfulStatusCode;
  readonly code: string;
  readonly details: unknown;
  constructor(status: ContentfulStatusCode, code: string, message: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

export function sendError(c: Context, status: ContentfulStatusCode, code: string, message: string, details?: unknown): Response {
  return c.json(errorBody(code, message, details), status);
}

export const notFound = (what: string): ApiError => new ApiError(404, "not_found", `${what} not found`);

/** Error responses a route may give, for the OpenAPI document; 500 is always among them. */
export function errorResponses(...statuses: (400 | 401 | 403 | 404 | 405 | 409 | 413 | 429 | 503)[]) {
  const descriptions = {
    400: "invalid input; the message names the field",
    401: "no valid session cookie or bearer token",
    403: "the user id in the path is not the caller",
    404: "no such resource for this user",
    405: "method not allowed on this path",
    409: "the account already keeps the most tasks it may (task_limit_reached)",
    413: "request body too large",
    429: "rate limit hit; see Retry-After",
    503: "the database is unavailable; see Retry-After",
    500: "something went wrong on our side; the request id is in X-Request-Id",
  } as const;
  return Object.fromEntries(
    [...statuses, 500 as const].map((status) => [status, { description: descriptions[status], content: { "application/json": { schema: ErrorBody } } }]),
  );
}
