import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { Hono, type MiddlewareHandler } from "hono";
import type { Db } from "../db/database.ts";
import type { AppEnv } from "../http/app-env.ts";
import { sendError } from "../http/errors.ts";
import { createTaskMcpServer } from "./task-tools.ts";

/**
 * POST /mcp: MCP over Streamable HTTP, stateless (a new server and transport per request), for a
 * client holding a bearer token. The tools act for that token's user only.
 */
export function mcpRoutes(db: Db, signedIn: MiddlewareHandler<AppEnv>) {
  const app = new Hono<AppEnv>();
  app.post("/mcp", signedIn, async (c) => {
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    const server = createTaskMcpServer(db, { userId: c.get("user").id, requestId: c.get("requestId"), log: c.get("log").logger });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw);
    } finally {
      await server.close();
    }
  });
  app.on(["GET", "DELETE"], "/mcp", (c) => sendError(c, 405, "method_not_allowed", "this MCP endpoint is stateless: send JSON-RPC with POST"));
  return app;
}
