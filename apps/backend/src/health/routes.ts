import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Database } from "../db/database.ts";
import type { AppEnv } from "../http/app-env.ts";
import type { Lifecycle } from "../lifecycle/state.ts";

const Status = z.object({ status: z.string(), reason: z.string().optional() }).openapi("Status");

const health = createRoute({
  method: "get",
  path: "/health",
  tags: ["operations"],
  summary: "Liveness: the process answers (touches no dependency)",
  responses: { 200: { description: "alive", content: { "application/json": { schema: Status } } } },
});

const ready = createRoute({
  method: "get",
  path: "/ready",
  tags: ["operations"],
  summary: "Readiness: database reachable and migrated, not shutting down",
  responses: {
    200: { description: "ready", content: { "application/json": { schema: Status } } },
    503: { description: "not ready; reason says why", content: { "application/json": { schema: Status } } },
  },
});

export function healthRoutes(database: Database, lifecycle: Lifecycle) {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(health, (c) => c.json({ status: "ok" }, 200));
  app.openapi(ready, async (c) => {
    if (lifecycle.draining) return c.json({ status: "unavailable", reason: "shutting down" }, 503);
    if (!lifecycle.migrated) return c.json({ status: "unavailable", reason: "migrations not applied yet" }, 503);
    try {
      await database.ping();
    } catch {
      return c.json({ status: "unavailable", reason: "database unreachable" }, 503);
    }
    return c.json({ status: "ready" }, 200);
  });
  return app;
}
