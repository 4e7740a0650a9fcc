/**
 * Pinned facts about kagent, each checked against kagent's repository at tag v0.9.12
 * (commit b45990582595acea5f6e765b86a10b251c50d5c9) and kagent-dev/tools at v0.2.1
 * (the tool-server chart that kagent 0.9.12 depends on). See test/fixtures/kagent/SOURCE.md.
 */

/** Latest stable kagent release when this was written; its Agent API is kagent.dev/v1alpha2. */
export const KAGENT_VERSION = "0.9.12";

/** OCI repository of kagent's Helm charts (helm/kagent-crds and helm/kagent in the kagent repo). */
export const KAGENT_CHART_REPOSITORY = "oci://ghcr.io/kagent-dev/kagent/helm";

/** apiVersion served and stored for Agent, ModelConfig and RemoteMCPServer in 0.9.12. */
export const KAGENT_API_VERSION = "kagent.dev/v1alpha2";

/**
 * Helm release names. They must be exactly these: the chart names its objects after the release
 * (`{{ fullname }}-tool-server`, `{{ fullname }}-controller`), and the kagent CLI port-forwards to
 * `service/kagent-controller` in the namespace given with `-n`.
 */
export const KAGENT_RELEASE = "kagent";
export const KAGENT_CRDS_RELEASE = "kagent-crds";

/** Namespace kagent is installed in (the kagent CLI's default `--namespace`). */
export const KAGENT_NAMESPACE = "kagent";

/** The RemoteMCPServer the kagent chart renders for its built-in tool server (helm/kagent/templates/toolserver-kagent.yaml). */
export const KAGENT_TOOL_SERVER = `${KAGENT_RELEASE}-tool-server`;

/** kagent's own default model for OpenAI (helm/kagent/values.yaml, providers.openAI.model). */
export const DEFAULT_OPENAI_MODEL = "gpt-4.1-mini";

/** Default host for an Ollama server running on the Minikube host machine. */
export const DEFAULT_OLLAMA_HOST = "http://host.minikube.internal:11434";

/** kagent's own default model for Ollama (helm/kagent/values.yaml, providers.ollama.model). */
export const DEFAULT_OLLAMA_MODEL = "llama3.2";

/**
 * Sub-charts of helm/kagent 0.9.12 that install the built-in sample agents, and the MCP servers
 * only those agents use. All default to enabled in the chart's values.yaml.
 */
export const SAMPLE_AGENT_VALUE_KEYS = [
  "k8s-agent",
  "kgateway-agent",
  "istio-agent",
  "promql-agent",
  "observability-agent",
  "argo-rollouts-agent",
  "helm-agent",
  "cilium-policy-agent",
  "cilium-manager-agent",
  "cilium-debug-agent",
] as const;
export const SAMPLE_TOOL_VALUE_KEYS = ["grafana-mcp", "querydoc"] as const;
