import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { Assistant } from "../agent/assistant.ts";
import type { Db } from "../db/database.ts";
import type { AppEnv } from "../http/app-env.ts";
import { ApiError, ErrorBody, errorResponses } from "../http/errors.ts";
import { validationHook } from "../http/validation.ts";
import { UserParams } from "../tasks/schemas.ts";
import { AssistantFailed } from "./assistant-failed.ts";
import { chatTurn } from "./chat-turn.ts";
import type { ChatRateLimiter } from "./rate-limit.ts";
import { ChatBody, ChatReply } from "./schemas.ts";

const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { sessionCookie: [] }];

const chat = createRoute({
  method: "post",
  path: "/api/{user_id}/chat",
  tags: ["chat"],
  summary: "Send a message to the assistant; it manages tasks through MCP tools",
  security,
  request: { params: UserParams, body: { content: { "application/json": { schema: ChatBody } }, required: true } },
  responses: {
    200: { description: "the assistant's reply and the tool calls it made", content: { "application/json": { schema: ChatReply } } },
    ...errorResponses(400, 401, 403, 404, 413, 429, 503),
    502: { description: "the language model failed", content: { "application/json": { schema: ErrorBody } } },
  },
});

export function chatRoutes(db: Db, assistant: Assistant, limiter: ChatRateLimiter, signedIn: MiddlewareHandler<AppEnv>) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use("/api/:user_id/chat", signedIn);
  // the limit counts before validation, so a flood of bad requests is limited too
  app.use("/api/:user_id/chat", async (c, next) => {
    const retryAfter = limiter.take(c.get("user").id);
    if (retryAfter > 0) {
      c.header("Retry-After", String(retryAfter));
      throw new ApiError(429, "rate_limited", `too many chat messages; try again in ${retryAfter} s`);
    }
    await next();
  });

  app.openapi(chat, async (c) => {
    try {
      const caller = { userId: c.get("user").id, requestId: c.get("requestId"), log: c.get("log").logger };
      const reply = await chatTurn(db, assistant, caller, c.req.valid("json"));
      return c.json(reply, 200);
    } catch (error) {
      if (error instanceof AssistantFailed) {
        c.get("log").logger.warn({ err: error.message }, "language model call failed");
        throw new ApiError(502, "assistant_unavailable", "the language model did not answer; try again in a moment");
      }
      throw error;
    }
  });
  return app;
}
