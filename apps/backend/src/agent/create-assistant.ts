import type { Db } from "../db/database.ts";
import type { Env } from "../env.ts";
import type { Assistant } from "./assistant.ts";
import { createOfflineAssistant } from "./offline/offline-assistant.ts";

/**
 * The LLM agent when OPENAI_API_KEY is set, otherwise the deterministic offline assistant.
 * The Agents SDK and the OpenAI client load on the first chat turn, so start-up stays fast.
 */
export function createAssistant(env: Env, db: Db): Assistant {
  if (!env.OPENAI_API_KEY) return createOfflineAssistant(db);
  const options = { apiKey: env.OPENAI_API_KEY, model: env.OPENAI_MODEL, baseUrl: env.OPENAI_BASE_URL, tracing: env.OPENAI_AGENTS_TRACING };
  let loaded: Promise<Assistant> | undefined;
  const load = (): Promise<Assistant> => (loaded ??= import("./llm-assistant.ts").then((m) => m.createLlmAssistant(db, options)));
  return { kind: "llm", reply: async (input) => (await load()).reply(input) };
}
