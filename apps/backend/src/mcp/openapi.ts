import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../http/app-env.ts";
import { errorResponses } from "../http/errors.ts";

const JsonRpcRequest = z
  .object({
    jsonrpc: z.literal("2.0"),
    id: z.union([z.string(), z.number()]).optional(),
    method: z.string().openapi({ examples: ["initialize", "tools/list", "tools/call"] }),
    params: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi("JsonRpcRequest");

const JsonRpcResponse = z
  .object({
    jsonrpc: z.literal("2.0"),
    id: z.union([z.string(), z.number()]).nullable(),
    result: z.unknown().optional(),
    error: z.object({ code: z.number(), message: z.string() }).optional(),
  })
  .openapi("JsonRpcResponse");

const rpcError = (description: string) => ({ description, content: { "application/json": { schema: JsonRpcResponse } } });

/** POST /mcp is served by the MCP SDK's transport (routes.ts); this documents it in /openapi.json. */
export function registerMcpDocs(app: OpenAPIHono<AppEnv>): void {
  const registry = app.openAPIRegistry;
  registry.registerPath({
    method: "post",
    path: "/mcp",
    tags: ["mcp"],
    summary: "MCP over Streamable HTTP (stateless): the five task tools, for the bearer token's user",
    description:
      "JSON-RPC 2.0 (initialize, tools/list, tools/call with add_task, list_tasks, complete_task, delete_task, update_task). " +
      "Send `Content-Type: application/json` and `Accept: application/json, text/event-stream`; answers are JSON. " +
      "list_tasks pages (limit, cursor -> structuredContent.next_cursor). GET and DELETE answer 405: there are no sessions.",
    security: [{ bearerAuth: [] }],
    request: { body: { required: true, content: { "application/json": { schema: JsonRpcRequest } } } },
    responses: {
      200: { description: "the JSON-RPC response", content: { "application/json": { schema: JsonRpcResponse } } },
      202: { description: "accepted: the body held only notifications, so there is nothing to answer" },
      400: rpcError("not JSON, or not a JSON-RPC message (JSON-RPC error -32700)"),
      406: rpcError("the Accept header does not list both application/json and text/event-stream"),
      415: rpcError("the Content-Type is not application/json"),
      ...errorResponses(401, 413, 503),
    },
  });
  for (const method of ["get", "delete"] as const) {
    registry.registerPath({
      method,
      path: "/mcp",
      tags: ["mcp"],
      summary: "Not supported: the MCP endpoint is stateless (no sessions, no server-sent stream)",
      responses: errorResponses(405),
    });
  }
}
