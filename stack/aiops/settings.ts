/**
 * The stack config of the AIOps feature and the pure decision of what to install.
 * Keys live in the project namespace `todo-chatbot:` (see Pulumi.yaml).
 */
import type { Config } from "@pulumi/pulumi";
import { DEFAULT_OLLAMA_MODEL, DEFAULT_OPENAI_MODEL, KAGENT_VERSION } from "./constants";

/** The `aiops*` keys as Pulumi.yaml declares them (type, default, description): the source for that file. */
export const AIOPS_CONFIG = {
  aiops: {
    type: "boolean",
    default: false,
    description: `Install kagent ${KAGENT_VERSION} in namespace kagent and the todo-chatbot-ops Agent, an AI operations assistant for this deployment (docs/aiops.md).`,
  },
  aiopsWriteTools: {
    type: "boolean",
    default: false,
    description: "Give the agent write tools (apply, patch, delete, rollout, scale), each call needing a human's approval; false keeps it read-only.",
  },
  aiopsSampleAgents: {
    type: "boolean",
    default: false,
    description: "Keep kagent's built-in sample agents (k8s-agent, helm-agent, ...).",
  },
  aiopsProvider: {
    type: "string",
    default: "openai",
    description: "Model provider of the agent: openai (the secret openaiApiKey; also any OpenAI-compatible endpoint) or ollama.",
  },
  aiopsModel: {
    type: "string",
    default: "",
    description: `Model of the agent; empty means ${DEFAULT_OPENAI_MODEL} (OpenAI), ${DEFAULT_OLLAMA_MODEL} (Ollama), or openaiModel when an OpenAI-compatible endpoint is set.`,
  },
  aiopsOpenaiBaseUrl: {
    type: "string",
    default: "",
    description: "OpenAI-compatible base URL for the agent; empty means openaiBaseUrl, and then OpenAI.",
  },
  aiopsOllamaHost: {
    type: "string",
    default: "",
    description: "Ollama URL as seen from inside the cluster; empty means http://host.minikube.internal:11434.",
  },
  aiopsKagentVersion: {
    type: "string",
    default: KAGENT_VERSION,
    description: "Version of the kagent-crds and kagent Helm charts (kagent's v1alpha2 API; do not follow kagent's main branch).",
  },
} as const;

/** Stack config as read (everything optional; strings as typed by `pulumi config set`). */
export interface RawAiopsConfig {
  /** `aiops`: install kagent and the operations agent. Default false. */
  aiops?: boolean;
  /** `aiopsWriteTools`: give the agent write tools (approval required per call). Default false. */
  aiopsWriteTools?: boolean;
  /** `aiopsSampleAgents`: keep kagent's built-in sample agents. Default false. */
  aiopsSampleAgents?: boolean;
  /** `aiopsProvider`: "openai" (default; also any OpenAI-compatible endpoint) or "ollama". */
  aiopsProvider?: string;
  /** `aiopsModel`: model name; default gpt-4.1-mini for OpenAI, llama3.2 for Ollama. */
  aiopsModel?: string;
  /** `aiopsOpenaiBaseUrl`: OpenAI-compatible base URL; empty = OpenAI. */
  aiopsOpenaiBaseUrl?: string;
  /** `aiopsOllamaHost`: Ollama URL as seen from the cluster. */
  aiopsOllamaHost?: string;
  /** `aiopsKagentVersion`: kagent chart version; default 0.9.12. */
  aiopsKagentVersion?: string;
  /** Whether an OpenAI API key (secret `openaiApiKey`) is configured. */
  hasOpenaiApiKey?: boolean;
}

export type AiopsPlan = {
  enableWriteTools: boolean;
  enableSampleAgents: boolean;
  kagentVersion: string;
  model: string;
} & ({ provider: "openai"; baseUrl: string } | { provider: "ollama"; host: string });

/**
 * Reads the `aiops*` keys of the stack config (see Pulumi.yaml). With no aiops endpoint of its own,
 * the agent follows the app's OpenAI-compatible endpoint (`openaiBaseUrl`) and then its model (`openaiModel`).
 */
export function readAiopsConfig(config: Pick<Config, "get" | "getBoolean">, hasOpenaiApiKey: boolean): RawAiopsConfig {
  const text = (key: string): string | undefined => {
    const value = config.get(key)?.trim();
    return value === "" ? undefined : value;
  };
  const baseUrl = text("aiopsOpenaiBaseUrl") ?? text("openaiBaseUrl");
  return {
    aiops: config.getBoolean("aiops"),
    aiopsWriteTools: config.getBoolean("aiopsWriteTools"),
    aiopsSampleAgents: config.getBoolean("aiopsSampleAgents"),
    aiopsProvider: text("aiopsProvider"),
    aiopsModel: text("aiopsModel") ?? (baseUrl !== undefined ? text("openaiModel") : undefined),
    aiopsOpenaiBaseUrl: baseUrl,
    aiopsOllamaHost: text("aiopsOllamaHost"),
    aiopsKagentVersion: text("aiopsKagentVersion"),
    hasOpenaiApiKey,
  };
}

/** Default host for an Ollama server running on the Minikube host machine. */
export const DEFAULT_OLLAMA_HOST = "http://host.minikube.internal:11434";

/**
 * Decides what the stack installs for AIOps: `undefined` when `aiops` is off (then nothing of
 * kagent exists). Throws, naming the config key to set, when the settings cannot work.
 */
export function planAiops(raw: RawAiopsConfig): AiopsPlan | undefined {
  if (raw.aiops !== true) return undefined;
  const provider = (raw.aiopsProvider ?? "openai").trim().toLowerCase() || "openai";
  const common = {
    enableWriteTools: raw.aiopsWriteTools === true,
    enableSampleAgents: raw.aiopsSampleAgents === true,
    kagentVersion: raw.aiopsKagentVersion?.trim() || KAGENT_VERSION,
  };
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(common.kagentVersion)) {
    throw new Error(
      `todo-chatbot:aiopsKagentVersion "${common.kagentVersion}" is not a chart version like ${KAGENT_VERSION}; ` +
        `run: pulumi config rm aiopsKagentVersion`,
    );
  }
  if (provider === "ollama") {
    return {
      ...common,
      provider: "ollama",
      model: raw.aiopsModel?.trim() || DEFAULT_OLLAMA_MODEL,
      host: raw.aiopsOllamaHost?.trim() || DEFAULT_OLLAMA_HOST,
    };
  }
  if (provider !== "openai") {
    throw new Error(
      `todo-chatbot:aiopsProvider must be "openai" or "ollama", not "${raw.aiopsProvider}"; ` +
        `run: pulumi config set aiopsProvider openai`,
    );
  }
  if (!raw.hasOpenaiApiKey) {
    throw new Error(
      "AIOps is on (todo-chatbot:aiops=true) with provider openai but no API key is configured. " +
        "Run: pulumi config set --secret openaiApiKey <key>  (or: pulumi config set aiopsProvider ollama, " +
        "or: pulumi config set aiops false)",
    );
  }
  return {
    ...common,
    provider: "openai",
    model: raw.aiopsModel?.trim() || DEFAULT_OPENAI_MODEL,
    baseUrl: raw.aiopsOpenaiBaseUrl?.trim() ?? "",
  };
}
