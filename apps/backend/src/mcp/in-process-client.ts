import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import type { Db } from "../db/database.ts";
import { createTaskMcpServer } from "./task-tools.ts";
import type { ToolCaller } from "./tool-caller.ts";
import { boundToolResult, type ToolCallRecord } from "./tool-results.ts";

/**
 * An MCP client wired to a fresh task server through the SDK's in-memory transport: the chat
 * assistants (LLM and offline) reach tasks only through these MCP tool calls. Every call is
 * recorded, so the chat reply can report and store them.
 */
export class InProcessMcpClient {
  readonly calls: ToolCallRecord[] = [];
  readonly #client = new Client({ name: "todo-assistant", version: "0.1.0" });
  readonly #db: Db;
  readonly #caller: ToolCaller;

  constructor(db: Db, caller: ToolCaller) {
    this.#db = db;
    this.#caller = caller;
  }

  async connect(): Promise<void> {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await createTaskMcpServer(this.#db, this.#caller).connect(serverSide);
    await this.#client.connect(clientSide);
  }

  async listTools(): Promise<Tool[]> {
    return (await this.#client.listTools()).tools;
  }

  /** Calls a tool; the parsed JSON result (or {error}) is recorded and returned with the raw result. */
  async call(name: string, args: Record<string, unknown>): Promise<{ value: unknown; raw: CallToolResult }> {
    const raw = (await this.#client.callTool({ name, arguments: args })) as CallToolResult;
    const value = parseToolText(raw);
    this.calls.push({ name, arguments: args, result: boundToolResult(value) });
    return { value, raw };
  }

  async close(): Promise<void> {
    await this.#client.close();
  }
}

function parseToolText(result: CallToolResult): unknown {
  const text = result.content.find((part) => part.type === "text");
  if (!text || text.type !== "text") return result.isError ? { error: "tool failed" } : null;
  try {
    return JSON.parse(text.text);
  } catch {
    return result.isError ? { error: text.text } : text.text;
  }
}
