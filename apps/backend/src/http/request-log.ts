import { createMiddleware } from "hono/factory";
import type { Logger } from "../logger.ts";
import type { AppEnv } from "./app-env.ts";

/**
 * Gives every request an id (the caller's X-Request-Id when it looks sane, else a new UUID), a
 * child logger carrying it, and one "request" log line with method, path, status and duration.
 * Bodies, query strings, cookies and tokens are never logged.
 */
export function requestLog(logger: Logger) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const incoming = c.req.header("x-request-id");
    const requestId = incoming && /^[\w.-]{1,100}$/.test(incoming) ? incoming : crypto.randomUUID();
    const log = logger.child({ reqId: requestId });
    c.set("requestId", requestId);
    c.set("log", log);
    c.header("X-Request-Id", requestId);
    const started = performance.now();
    await next();
    const ms = Math.round((performance.now() - started) * 10) / 10;
    const status = c.res.status;
    const line = { method: c.req.method, path: c.req.path, status, ms };
    if (status >= 500) log.error(line, "request");
    else if (c.req.path === "/health" || c.req.path === "/ready") log.debug(line, "request");
    else log.info(line, "request");
  });
}
