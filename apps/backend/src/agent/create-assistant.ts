import type { Db } from "../db/database.ts";
import type { Env } from "../env.ts";
import type { Assistant } from "./assistant.ts";
import { createLlmAssistant } from "./llm-assistant.ts";
import { createOfflineAssistant } from "./offline/offline-assistant.ts";

/** The LLM agent when OPENAI_API_KEY is set, otherwise the deterministic offline assistant. */
export function createAssistant(env: Env, db: Db): Assistant {
  if (!env.OPENAI_API_KEY) return createOfflineAssistant(db);
  return createLlmAssistant(db, {
    apiKey: env.OPENAI_API_KEY,
    model: env.OPENAI_MODEL,
    baseUrl: env.OPENAI_BASE_URL,
    tracing: env.OPENAI_AGENTS_TRACING,
  });
}
