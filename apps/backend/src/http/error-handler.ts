import type { ErrorHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { isDatabaseUnavailable } from "../db/unavailable.ts";
import type { Logger } from "../logger.ts";
import type { AppEnv } from "./app-env.ts";
import { ApiError, sendError } from "./errors.ts";

/** Turns anything thrown into the error shape; never leaks stack traces or SQL to the client. */
export function errorHandler(fallbackLogger: Logger): ErrorHandler<AppEnv> {
  return (error, c) => {
    const log = c.get("log")?.logger ?? fallbackLogger;
    if (error instanceof ApiError) return sendError(c, error.status, error.code, error.message, error.details);
    if (isDatabaseUnavailable(error)) {
      log.warn({ err: rootMessage(error) }, "database unavailable");
      c.header("Retry-After", "5");
      return sendError(c, 503, "database_unavailable", "the database is unavailable; try again shortly");
    }
    if (error instanceof HTTPException) {
      if (error.status === 400) {
        // hono's JSON validator throws this for a body that does not parse
        return sendError(c, 400, "invalid_json", "body: malformed JSON", [{ field: "body", message: "malformed JSON" }]);
      }
      return sendError(c, error.status, "http_error", error.message || "request failed");
    }
    log.error({ err: { type: error.name, message: rootMessage(error) } }, "unhandled error");
    return sendError(c, 500, "internal_error", "something went wrong on our side; the request id is in X-Request-Id");
  };
}

/** The innermost cause's message: drizzle's wrapper message carries the query parameters (user data). */
export function rootMessage(error: Error): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? `${current.name}: ${current.message}` : String(current);
}
