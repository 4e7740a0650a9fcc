import { Agent, assistant, OpenAIChatCompletionsModel, run, setTracingDisabled, user, type AgentInputItem } from "@openai/agents";
import OpenAI from "openai";
import type { Db } from "../db/database.ts";
import { InProcessMcpClient } from "../mcp/in-process-client.ts";
import type { Assistant, AssistantInput, AssistantTurn } from "./assistant.ts";
import { AGENT_INSTRUCTIONS } from "./instructions.ts";
import { InProcessAgentMcpServer } from "./mcp-bridge.ts";

export interface LlmOptions {
  apiKey: string;
  model: string;
  /** any OpenAI-compatible endpoint (Ollama, vLLM, other providers); OpenAI when unset */
  baseUrl?: string | undefined;
  /** send traces to OpenAI; off unless explicitly enabled */
  tracing: boolean;
}

/**
 * The OpenAI Agents SDK agent. It is rebuilt per turn around a fresh MCP connection for the caller,
 * fed the stored history, and keeps nothing in memory afterwards.
 */
export function createLlmAssistant(db: Db, options: LlmOptions): Assistant {
  setTracingDisabled(!options.tracing);
  const client = new OpenAI({ apiKey: options.apiKey, baseURL: options.baseUrl, maxRetries: 1, timeout: 60_000 });
  const model = new OpenAIChatCompletionsModel(client, options.model);

  return {
    kind: "llm",
    async reply({ caller, history, message }: AssistantInput): Promise<AssistantTurn> {
      const mcp = new InProcessMcpClient(db, caller);
      await mcp.connect();
      try {
        const agent = new Agent({
          name: "Todo assistant",
          instructions: AGENT_INSTRUCTIONS,
          model,
          mcpServers: [new InProcessAgentMcpServer(mcp)],
        });
        const input: AgentInputItem[] = [
          ...history.map((m) => (m.role === "user" ? user(m.content) : assistant(m.content))),
          user(message),
        ];
        const result = await run(agent, input, { maxTurns: 8 });
        const response = typeof result.finalOutput === "string" && result.finalOutput.trim() ? result.finalOutput : "Done.";
        return { response, toolCalls: mcp.calls };
      } finally {
        await mcp.close();
      }
    },
  };
}
