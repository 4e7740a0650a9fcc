import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import type { Auth } from "./auth/auth.ts";
import { requireUser } from "./auth/require-user.ts";
import { AUTH_PREFIX, authHandler } from "./auth/handler.ts";
import { SessionCache } from "./auth/session-cache.ts";
import { SignInThrottle } from "./auth/sign-in-throttle.ts";
import type { Database } from "./db/database.ts";
import type { Env } from "./env.ts";
import { healthRoutes } from "./health/routes.ts";
import type { AppEnv } from "./http/app-env.ts";
import { errorHandler } from "./http/error-handler.ts";
import { sendError } from "./http/errors.ts";
import { registerOpenApi } from "./http/openapi.ts";
import { requestLog } from "./http/request-log.ts";
import { validationHook } from "./http/validation.ts";
import type { Lifecycle } from "./lifecycle/state.ts";
import type { Logger } from "./logger.ts";
import { TaskListCache } from "./tasks/list-cache.ts";
import { taskRoutes } from "./tasks/routes.ts";
import { createAssistant } from "./agent/create-assistant.ts";
import { ChatRateLimiter } from "./chat/rate-limit.ts";
import { chatRoutes } from "./chat/routes.ts";
import { conversationRoutes } from "./conversations/routes.ts";
import { mcpRoutes } from "./mcp/routes.ts";

export interface AppDeps {
  env: Env;
  database: Database;
  auth: Auth;
  logger: Logger;
  lifecycle: Lifecycle;
}

/** The whole HTTP surface; server.ts only adds listening and signals, tests call app.request(). */
export function createApp({ env, database, auth, logger, lifecycle }: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use("*", requestLog(logger));
  const limitBody = bodyLimit({
    maxSize: env.BODY_LIMIT_BYTES,
    onError: (c) => sendError(c, 413, "payload_too_large", `the request body is larger than ${env.BODY_LIMIT_BYTES} bytes`),
  });
  // A GET or HEAD request has no body (bodyLimit would find none), and asking for it makes
  // @hono/node-server build a full fetch Request (undici) behind its lightweight one: skipped for them.
  app.use("*", (c, next) => (c.req.method === "GET" || c.req.method === "HEAD" ? next() : limitBody(c, next)));
  app.onError(errorHandler(logger));
  app.notFound((c) => sendError(c, 404, "not_found", `no route for ${c.req.method} ${c.req.path}`));

  app.route("/", healthRoutes(database, lifecycle));
  const sessions = new SessionCache(env.SESSION_CACHE_TTL_MS);
  // Better Auth's /api/auth/* is taken before routing, not as a route: beside /api/:user_id/... a pattern
  // "/api/auth/*" is ambiguous (/api/auth/tasks), which hono's RegExpRouter refuses, and SmartRouter then
  // falls back to TrieRouter for every route (measured: TrieRouter's search allocated 8 % of what a cached
  // GET tasks did; see the backend README's benchmark section).
  const authRoutes = authHandler({ auth, database, sessions, throttle: new SignInThrottle(database.db) });
  app.use("*", (c, next) => ((c.req.method === "GET" || c.req.method === "POST") && c.req.path.startsWith(AUTH_PREFIX) ? authRoutes(c) : next()));

  const signedIn = requireUser(auth, database, sessions);
  app.route("/", taskRoutes(database.db, signedIn, new TaskListCache(env.TASK_LIST_CACHE_MB * 2 ** 20)));
  const assistant = createAssistant(env, database.db);
  const limiter = new ChatRateLimiter(env.CHAT_RATE_LIMIT_PER_MINUTE);
  app.route("/", chatRoutes(database.db, assistant, limiter, signedIn));
  app.route("/", conversationRoutes(database.db, signedIn));
  app.route("/", mcpRoutes(database.db, signedIn));

  registerOpenApi(app);
  return app;
}

export type App = ReturnType<typeof createApp>;
