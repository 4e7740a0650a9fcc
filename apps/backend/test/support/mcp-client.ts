import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { TestApp } from "./test-app.ts";

/** The official MCP client speaking Streamable HTTP to POST /mcp of the in-process app. */
export async function connectMcp(t: TestApp, token: string, headers: Record<string, string> = {}): Promise<{ client: Client; call(name: string, args: Record<string, unknown>): Promise<{ isError: boolean; value: unknown }> }> {
  const transport = new StreamableHTTPClientTransport(new URL("http://backend.test/mcp"), {
    requestInit: { headers: { ...headers, authorization: `Bearer ${token}` } },
    fetch: async (url, init) => t.app.request(url instanceof URL ? url.pathname : new URL(String(url)).pathname, init),
  });
  const client = new Client({ name: "test-client", version: "1.0.0" });
  await client.connect(transport);
  return {
    client,
    async call(name, args) {
      const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
      const text = result.content.find((c) => c.type === "text");
      return { isError: result.isError === true, value: text && text.type === "text" ? JSON.parse(text.text) : undefined };
    },
  };
}
