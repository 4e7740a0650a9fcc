import type { CallToolResultContent, MCPServer } from "@openai/agents";
import type { InProcessMcpClient } from "../mcp/in-process-client.ts";

type McpToolList = Awaited<ReturnType<MCPServer["listTools"]>>;

/**
 * Presents the in-process MCP client to the Agents SDK as an MCP server, so the agent's tools are
 * exactly the MCP tools (listed and called over MCP), and every call is recorded by the client.
 */
export class InProcessAgentMcpServer implements MCPServer {
  readonly name = "todo-tasks";
  cacheToolsList = false;
  readonly #client: InProcessMcpClient;

  constructor(client: InProcessMcpClient) {
    this.#client = client;
  }

  async connect(): Promise<void> {
    // the client is connected by whoever created it
  }

  async close(): Promise<void> {
    // closed by whoever created it
  }

  async listTools(): Promise<McpToolList> {
    const tools = await this.#client.listTools();
    return tools.map((tool) => ({
      name: tool.name,
      description: tool.description,
      inputSchema: {
        type: "object" as const,
        properties: tool.inputSchema.properties ?? {},
        required: tool.inputSchema.required ?? [],
        additionalProperties: false,
      },
    }));
  }

  async callTool(toolName: string, args: Record<string, unknown> | null): Promise<CallToolResultContent> {
    const { raw } = await this.#client.call(toolName, args ?? {});
    return raw.content as CallToolResultContent;
  }

  async invalidateToolsCache(): Promise<void> {
    // nothing is cached
  }
}
