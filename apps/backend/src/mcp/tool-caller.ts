import type { Logger } from "../logger.ts";

/** Who the MCP tools act for, and the request they run in (for logs and error answers). */
export interface ToolCaller {
  userId: string;
  /** the HTTP request's id (X-Request-Id): POST /mcp's, or the chat turn's */
  requestId: string;
  /** the request's logger, carrying that id */
  log: Logger;
}
