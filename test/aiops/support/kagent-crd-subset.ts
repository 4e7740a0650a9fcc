/**
 * The part of kagent's v1alpha2 CRD schemas (kagent v0.9.12, go/api/config/crd/bases/) that this
 * project's objects use, written down by hand in the CRDs' own structural-schema form. Types, enums,
 * limits, required lists and CEL rules are those of the upstream CRD at the same path; fields we do
 * not use are left out, so an object with any other field is rejected here. When the upstream CRD
 * files are available (see test/fixtures/kagent/SOURCE.md), kagent-crd.test.ts also checks this
 * subset against them field by field and validates the objects against the full upstream schema.
 */
import { type StructuralSchema } from "./structural-schema";

const str: StructuralSchema = { type: "string" };
const strings = (maxItems?: number): StructuralSchema => ({
  type: "array",
  items: str,
  ...(maxItems === undefined ? {} : { maxItems }),
});
const quantity: StructuralSchema = {
  "x-kubernetes-int-or-string": true,
  anyOf: [{ type: "integer" }, { type: "string" }],
  pattern:
    "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$",
};

/** ModelConfig, version v1alpha2: openAPIV3Schema subset. */
export const MODEL_CONFIG_SUBSET: StructuralSchema = {
  type: "object",
  properties: {
    apiVersion: str,
    kind: str,
    metadata: { type: "object" },
    spec: {
      type: "object",
      required: ["model"],
      "x-kubernetes-validations": [
        { rule: "!(has(self.openAI) && self.provider != 'OpenAI')" },
        { rule: "!(has(self.ollama) && self.provider != 'Ollama')" },
        { rule: "!(has(self.apiKeySecretKey) && !has(self.apiKeySecret))" },
        {
          rule: "!(has(self.apiKeySecret) && !has(self.apiKeySecretKey) && self.provider != 'Bedrock' && self.provider != 'SAPAICore')",
        },
        { rule: "!(has(self.apiKeyPassthrough) && self.apiKeyPassthrough && has(self.apiKeySecret) && size(self.apiKeySecret) > 0)" },
      ],
      properties: {
        provider: {
          type: "string",
          default: "OpenAI",
          enum: ["Anthropic", "OpenAI", "AzureOpenAI", "Ollama", "Gemini", "GeminiVertexAI", "AnthropicVertexAI", "Bedrock", "SAPAICore"],
        },
        model: str,
        apiKeySecret: str,
        apiKeySecretKey: str,
        apiKeyPassthrough: { type: "boolean" },
        defaultHeaders: { type: "object", additionalProperties: str },
        openAI: {
          type: "object",
          properties: {
            baseUrl: str,
            organization: str,
            temperature: str,
            maxTokens: { type: "integer" },
            timeout: { type: "integer" },
          },
        },
        ollama: {
          type: "object",
          properties: { host: str, options: { type: "object", additionalProperties: str } },
        },
      },
    },
  },
};

/** Agent, version v1alpha2: openAPIV3Schema subset. */
export const AGENT_SUBSET: StructuralSchema = {
  type: "object",
  properties: {
    apiVersion: str,
    kind: str,
    metadata: { type: "object" },
    spec: {
      type: "object",
      "x-kubernetes-validations": [
        { rule: "has(self.type)" },
        { rule: "self.type == 'Declarative' || self.type == 'BYO'" },
        { rule: "(self.type == 'Declarative' && has(self.declarative)) || (self.type == 'BYO' && has(self.byo))" },
      ],
      properties: {
        type: { type: "string", default: "Declarative", enum: ["Declarative", "BYO"] },
        description: str,
        declarative: {
          type: "object",
          "x-kubernetes-validations": [{ rule: "!has(self.systemMessage) || !has(self.systemMessageFrom)" }],
          properties: {
            modelConfig: str,
            systemMessage: str,
            stream: { type: "boolean" },
            runtime: { type: "string", default: "python", enum: ["python", "go"] },
            tools: {
              type: "array",
              maxItems: 20,
              items: {
                type: "object",
                "x-kubernetes-validations": [
                  { rule: "!(has(self.mcpServer) && self.type != 'McpServer')" },
                  { rule: "!(!has(self.mcpServer) && self.type == 'McpServer')" },
                  { rule: "!(has(self.agent) && self.type != 'Agent')" },
                  { rule: "!(!has(self.agent) && self.type == 'Agent')" },
                ],
                properties: {
                  type: { type: "string", enum: ["McpServer", "Agent"] },
                  mcpServer: {
                    type: "object",
                    required: ["name"],
                    "x-kubernetes-validations": [
                      {
                        rule: "!has(self.requireApproval) || self.requireApproval.all(x, has(self.toolNames) && x in self.toolNames)",
                        message: "each RequireApproval entry must also appear in ToolNames",
                      },
                    ],
                    properties: {
                      name: str,
                      namespace: str,
                      kind: str,
                      apiGroup: str,
                      toolNames: strings(50),
                      requireApproval: strings(50),
                      allowedHeaders: strings(),
                    },
                  },
                },
              },
            },
            a2aConfig: {
              type: "object",
              properties: {
                skills: {
                  type: "array",
                  minItems: 1,
                  items: {
                    type: "object",
                    required: ["name"],
                    properties: {
                      id: str,
                      name: { type: "string", minLength: 1 },
                      description: str,
                      tags: strings(20),
                      examples: strings(20),
                      inputModes: strings(),
                      outputModes: strings(),
                    },
                  },
                },
              },
            },
            deployment: {
              type: "object",
              "x-kubernetes-validations": [{ rule: "!(has(self.serviceAccountName) && has(self.serviceAccountConfig))" }],
              properties: {
                replicas: { type: "integer", format: "int32" },
                resources: {
                  type: "object",
                  properties: {
                    limits: { type: "object", additionalProperties: quantity },
                    requests: { type: "object", additionalProperties: quantity },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};
