/**
 * The pure decision of what the AIOps feature installs, from the `aiops*` keys (declared with every other
 * key in stack/config/keys.ts and read by parseSettings, which calls this).
 */
import type { ConfigValues, Problems } from "../config/keys.ts";
import { DEFAULT_OLLAMA_HOST, DEFAULT_OLLAMA_MODEL, DEFAULT_OPENAI_MODEL } from "./constants.ts";

/** The keys the plan is made from: the `aiops*` ones, and the app's endpoint and model that the agent follows. */
export type AiopsValues = Pick<
  ConfigValues,
  | "aiops"
  | "aiopsWriteTools"
  | "aiopsSampleAgents"
  | "aiopsProvider"
  | "aiopsModel"
  | "aiopsOpenaiBaseUrl"
  | "aiopsOllamaHost"
  | "aiopsKagentVersion"
  | "openaiModel"
  | "openaiBaseUrl"
>;

export type AiopsPlan = {
  enableWriteTools: boolean;
  enableSampleAgents: boolean;
  kagentVersion: string;
  model: string;
} & ({ provider: "openai"; baseUrl: string } | { provider: "ollama"; host: string });

/**
 * Decides what the stack installs for AIOps: `undefined` when `aiops` is off (then nothing of kagent
 * exists), or when the settings cannot work (then a problem, naming the key to set, is added). With no
 * endpoint of its own, the agent follows the app's OpenAI-compatible endpoint (`openaiBaseUrl`) and then
 * its model (`openaiModel`).
 */
export function planAiops(values: AiopsValues, hasOpenaiApiKey: boolean, problems: Problems): AiopsPlan | undefined {
  if (!values.aiops) return undefined;
  const common = {
    enableWriteTools: values.aiopsWriteTools,
    enableSampleAgents: values.aiopsSampleAgents,
    kagentVersion: values.aiopsKagentVersion,
  };
  const baseUrl = values.aiopsOpenaiBaseUrl || values.openaiBaseUrl;
  const model = values.aiopsModel || (baseUrl !== "" ? values.openaiModel : "");
  if (values.aiopsProvider === "ollama") {
    return { ...common, provider: "ollama", model: model || DEFAULT_OLLAMA_MODEL, host: values.aiopsOllamaHost || DEFAULT_OLLAMA_HOST };
  }
  if (!hasOpenaiApiKey) {
    problems.add(
      "aiops",
      "is true with aiopsProvider openai, but no OpenAI API key is configured",
      "run pulumi config set --secret openaiApiKey <key> (or pulumi config set aiopsProvider ollama, or pulumi config set aiops false)",
    );
    return undefined;
  }
  return { ...common, provider: "openai", model: model || DEFAULT_OPENAI_MODEL, baseUrl };
}
