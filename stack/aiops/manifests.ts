/**
 * Pure builders of the kagent objects and Helm values (no Pulumi here), so they can be checked
 * against kagent's CRD schemas and rendered values without a cluster. Every field below exists in
 * go/api/config/crd/bases/ or helm/kagent/values.yaml at kagent v0.9.12.
 */
import {
  KAGENT_API_VERSION,
  KAGENT_TOOL_SERVER,
  SAMPLE_AGENT_VALUE_KEYS,
  SAMPLE_TOOL_VALUE_KEYS,
} from "./constants.ts";
import { buildSystemMessage } from "./system-message.ts";
import { WRITE_TOOLS, agentToolNames } from "./tools.ts";

/** How the agent reaches a model. */
export type LlmSettings =
  | {
      /** OpenAI, or any OpenAI-compatible endpoint when baseUrl is set. */
      provider: "openai";
      /** Model name, e.g. gpt-4.1-mini. */
      model: string;
      /** Name of the Secret (in kagent's namespace) that holds the API key. */
      apiKeySecretName: string;
      /** Key inside that Secret. */
      apiKeySecretKey: string;
      /** OpenAI-compatible base URL (vLLM, LiteLLM, Ollama's /v1, another provider); empty = OpenAI. */
      baseUrl?: string;
    }
  | {
      /** A local Ollama server; no API key. */
      provider: "ollama";
      /** Model name as Ollama knows it, e.g. llama3.2. */
      model: string;
      /** Ollama host as seen from inside the cluster, e.g. http://host.minikube.internal:11434. */
      host: string;
    };

/** A kagent custom object as applied to the cluster. */
export interface KagentObject<Spec> {
  apiVersion: typeof KAGENT_API_VERSION;
  kind: string;
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: Spec;
}

export interface ModelConfigSpec {
  provider: "OpenAI" | "Ollama";
  model: string;
  apiKeySecret?: string;
  apiKeySecretKey?: string;
  openAI?: { baseUrl: string };
  ollama?: { host: string; options?: Record<string, string> };
}

export interface McpServerTool {
  type: "McpServer";
  mcpServer: {
    name: string;
    kind: "RemoteMCPServer";
    apiGroup: "kagent.dev";
    toolNames: string[];
    requireApproval?: string[];
  };
}

export interface AgentSpec {
  type: "Declarative";
  description: string;
  declarative: {
    modelConfig: string;
    systemMessage: string;
    tools: McpServerTool[];
    a2aConfig: {
      skills: { id: string; name: string; description: string; tags: string[]; examples: string[] }[];
    };
    deployment: {
      resources: { requests: Record<string, string>; limits: Record<string, string> };
    };
  };
}

const LABELS = {
  "app.kubernetes.io/part-of": "todo-chatbot",
  "app.kubernetes.io/component": "aiops",
  "app.kubernetes.io/managed-by": "pulumi",
};

/** The ModelConfig the agent uses: OpenAI with the key from a Secret, or Ollama. */
export function buildModelConfig(name: string, namespace: string, llm: LlmSettings): KagentObject<ModelConfigSpec> {
  const spec: ModelConfigSpec =
    llm.provider === "openai"
      ? {
          provider: "OpenAI",
          model: llm.model,
          apiKeySecret: llm.apiKeySecretName,
          apiKeySecretKey: llm.apiKeySecretKey,
          ...(llm.baseUrl ? { openAI: { baseUrl: llm.baseUrl } } : {}),
        }
      : // num_ctx as in kagent's own default Ollama ModelConfig (helm/kagent/values.yaml): Ollama's small
        // default context would cut off the system message and tool descriptions.
        { provider: "Ollama", model: llm.model, ollama: { host: llm.host, options: { num_ctx: "64000" } } };
  return { apiVersion: KAGENT_API_VERSION, kind: "ModelConfig", metadata: { name, namespace, labels: LABELS }, spec };
}

export interface AgentParams {
  name: string;
  namespace: string;
  modelConfigName: string;
  appNamespace: string;
  appFullname: string;
  /** The app's Secret name, for the system message. */
  appSecretName: string;
  enableWriteTools: boolean;
}

/** The todo-chatbot operations Agent: declarative, tools from kagent's built-in tool server by name. */
export function buildAgent(p: AgentParams): KagentObject<AgentSpec> {
  const toolNames = agentToolNames(p.enableWriteTools);
  return {
    apiVersion: KAGENT_API_VERSION,
    kind: "Agent",
    metadata: { name: p.name, namespace: p.namespace, labels: LABELS },
    spec: {
      type: "Declarative",
      description: `Operations assistant for the todo-chatbot deployment in namespace ${p.appNamespace} (${p.enableWriteTools ? "write tools need approval" : "read-only"}).`,
      declarative: {
        modelConfig: p.modelConfigName,
        systemMessage: buildSystemMessage({
          appNamespace: p.appNamespace,
          appFullname: p.appFullname,
          kagentNamespace: p.namespace,
          writeToolsEnabled: p.enableWriteTools,
          appSecretName: p.appSecretName,
        }),
        tools: [
          {
            type: "McpServer",
            mcpServer: {
              name: KAGENT_TOOL_SERVER,
              kind: "RemoteMCPServer",
              apiGroup: "kagent.dev",
              toolNames,
              ...(p.enableWriteTools ? { requireApproval: [...WRITE_TOOLS] } : {}),
            },
          },
        ],
        a2aConfig: {
          skills: [
            {
              id: "todo-chatbot-diagnostics",
              name: "todo-chatbot diagnostics",
              description: "Finds why the todo-chatbot Pods are not running or not ready, and says how to fix it.",
              tags: ["kubernetes", "diagnostics", "todo-chatbot"],
              examples: [
                `Why is the backend not ready in namespace ${p.appNamespace}?`,
                "Is the frontend reachable, and at which address?",
                "Summarise restarts and warning events of the last hour.",
              ],
            },
          ],
        },
        // Same footprint as kagent's own sample agents (helm/kagent/values.yaml, k8s-agent.resources).
        deployment: { resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } } },
      },
    },
  };
}

/** Values for the kagent-crds chart (helm/kagent-crds/values.yaml): kmcp CRDs stay, as the kagent chart enables kmcp. */
export function buildCrdsValues(): Record<string, unknown> {
  return { kmcp: { enabled: true } };
}

export interface KagentValuesParams {
  llm: LlmSettings;
  enableWriteTools: boolean;
  enableSampleAgents: boolean;
}

/**
 * Values for the kagent chart. The chart's own default ModelConfig is pointed at the same Secret
 * (so agents made in the kagent UI work too); the API key itself never goes into Helm values.
 * The shared tool server gets read-only RBAC and `--read-only` unless write tools are enabled.
 */
export function buildKagentValues(p: KagentValuesParams): Record<string, unknown> {
  const providers =
    p.llm.provider === "openai"
      ? {
          default: "openAI",
          openAI: {
            provider: "OpenAI",
            model: p.llm.model,
            apiKeySecretRef: p.llm.apiKeySecretName,
            apiKeySecretKey: p.llm.apiKeySecretKey,
            ...(p.llm.baseUrl ? { config: { baseUrl: p.llm.baseUrl } } : {}),
          },
        }
      : { default: "ollama", ollama: { provider: "Ollama", model: p.llm.model, config: { host: p.llm.host } } };
  const samples: Record<string, { enabled: boolean }> = {};
  for (const key of [...SAMPLE_AGENT_VALUE_KEYS, ...SAMPLE_TOOL_VALUE_KEYS]) samples[key] = { enabled: p.enableSampleAgents };
  return {
    providers,
    ...samples,
    "kagent-tools": {
      enabled: true,
      rbac: { readOnly: !p.enableWriteTools },
      tools: { args: p.enableWriteTools ? [] : ["--read-only"] },
    },
  };
}
