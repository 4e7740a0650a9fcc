import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ChatRequest {
  model: string;
  messages: { role: string; content?: unknown; tool_calls?: unknown[] }[];
  tools?: { type: string; function: { name: string } }[];
}

/** What the fake model answers to one request: a tool call, or a final text. */
export type Script = (request: ChatRequest) => { tool?: { name: string; arguments: Record<string, unknown> }; text?: string };

/**
 * A tiny OpenAI-compatible server (POST /v1/chat/completions, non-streaming) driven by a script,
 * recording every request so tests can see what the agent sent.
 */
export async function startFakeOpenAI(script: Script, delayMs = 0): Promise<{ baseUrl: string; requests: ChatRequest[]; close(): Promise<void> }> {
  const requests: ChatRequest[] = [];
  let calls = 0;
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
    req.on("end", () => {
      if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: `no ${req.method} ${req.url}` } }));
        return;
      }
      const request = JSON.parse(raw) as ChatRequest;
      requests.push(request);
      const step = script(request);
      const id = `call_${++calls}`;
      const message = step.tool
        ? { role: "assistant", content: null, tool_calls: [{ id, type: "function", function: { name: step.tool.name, arguments: JSON.stringify(step.tool.arguments) } }] }
        : { role: "assistant", content: step.text ?? "" };
      const body = JSON.stringify({
          id: `chatcmpl-${calls}`,
          object: "chat.completion",
          created: Math.floor(Date.now() / 1000),
          model: request.model,
          choices: [{ index: 0, message, finish_reason: step.tool ? "tool_calls" : "stop" }],
          usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
        });
      setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end(body), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
