import type { OpenAPIHono } from "@hono/zod-openapi";
import { registerAuthDocs } from "../auth/openapi.ts";
import { registerMcpDocs } from "../mcp/openapi.ts";
import type { AppEnv } from "./app-env.ts";

/**
 * Serves /openapi.json, generated from the same zod schemas that validate the requests, plus the
 * routes that Better Auth and the MCP SDK serve themselves (described in auth/ and mcp/openapi.ts).
 */
export function registerOpenApi(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "the token from the `set-auth-token` header of sign-up / sign-in",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "sessionCookie", {
    type: "apiKey",
    in: "cookie",
    name: "better-auth.session_token",
  });
  registerAuthDocs(app);
  registerMcpDocs(app);
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Todo Chatbot API",
      version: "0.1.0",
      description: "Tasks, chat with an assistant that manages them through MCP tools. Auth: Better Auth under /api/auth/* (email + password).",
    },
  });
}
