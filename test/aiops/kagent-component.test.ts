/**
 * The AIOps component under Pulumi mocks: what `pulumi up` would create with `aiops` off and on.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import { Aiops, type AiopsArgs, installAiops } from "../../stack/aiops/aiops";
import { SAMPLE_AGENT_VALUE_KEYS, SAMPLE_TOOL_VALUE_KEYS } from "../../stack/aiops/constants";
import { READ_ONLY_TOOLS, WRITE_TOOLS } from "../../stack/aiops/tools";
import { parseSettings } from "../../stack/config/settings";
import { loadStackConfig } from "../../stack/config/stack-config";
import { FULLNAME, SECRET_NAME } from "../../stack/release/names";
import { type Recorded, RecordingMocks, isSecretWrapper, outputValue, settle } from "../support/pulumi-mocks";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const AGENT = "kubernetes:kagent.dev/v1alpha2:Agent";
const MODEL = "kubernetes:kagent.dev/v1alpha2:ModelConfig";
const SECRET = "kubernetes:core/v1:Secret";
const API_KEY = "fake-test-not-a-real-key-4242";
/** What index.ts passes from the app's release. */
const APP = { appFullname: FULLNAME, appSecretName: SECRET_NAME };

let mocks: RecordingMocks;

beforeEach(() => {
  mocks = new RecordingMocks();
  pulumi.runtime.setMocks(mocks, "todo-chatbot", "dev", false);
});

function provider(): k8s.Provider {
  return new k8s.Provider("minikube", { context: "minikube" });
}

async function build(overrides: Partial<AiopsArgs> = {}): Promise<Aiops> {
  const ops = new Aiops(
    "aiops",
    {
      provider: provider(),
      appNamespace: "todo", ...APP,
      llm: { provider: "openai", apiKey: pulumi.secret(API_KEY) },
      ...overrides,
    },
    { transformations: [mocks.capture] },
  );
  await outputValue(ops.invokeCommand);
  await settle(mocks);
  return ops;
}

type Values = Record<string, Record<string, unknown>>;
const valuesOf = (r: Recorded): Values => r.inputs.values as Values;
const spec = (r: Recorded): Record<string, unknown> => r.inputs.spec as Record<string, unknown>;
const metadata = (r: Recorded): { name: string; namespace: string } => r.inputs.metadata as { name: string; namespace: string };
function mcpServer(agent: Recorded): { name: string; kind: string; apiGroup: string; toolNames: string[]; requireApproval?: string[] } {
  const declarative = spec(agent).declarative as { tools: { type: string; mcpServer: never }[] };
  expect(declarative.tools).toHaveLength(1);
  expect(declarative.tools[0]?.type).toBe("McpServer");
  return declarative.tools[0]?.mcpServer as never;
}

describe("with aiops off", () => {
  it("plans nothing for an empty config or aiops=false", () => {
    expect(parseSettings({}).aiops).toBeUndefined();
    expect(parseSettings({ aiops: "false", aiopsWriteTools: "true" }, { openaiApiKey: "encrypted" }).aiops).toBeUndefined();
  });

  it("installAiops creates no resource at all", async () => {
    pulumi.runtime.setAllConfig({ "todo-chatbot:aiops": "false", "todo-chatbot:openaiApiKey": API_KEY }, ["todo-chatbot:openaiApiKey"]);
    const { settings, secrets } = loadStackConfig();
    const aiops = settings.aiops;
    expect(aiops).toBeUndefined();
    const result = installAiops({ provider: provider(), appNamespace: "todo", ...APP, plan: aiops, openaiApiKey: secrets.openaiApiKey }, { transformations: [mocks.capture] });
    expect(result).toBeUndefined();
    await settle(mocks);
    expect(mocks.resources.map((r) => r.type)).toEqual(["pulumi:providers:kubernetes"]);
  });
});

describe("the aiops* keys are read with the rest of the stack config (loadStackConfig)", () => {
  it("treats an empty openaiApiKey (Pulumi.yaml's default) as no key and says what to set", () => {
    pulumi.runtime.setAllConfig({ "todo-chatbot:aiops": "true", "todo-chatbot:openaiApiKey": "" }, ["todo-chatbot:openaiApiKey"]);
    expect(() => loadStackConfig()).toThrow(/pulumi config set --secret openaiApiKey/);
  });

  it("reports an aiops problem together with the app's own config problems", () => {
    pulumi.runtime.setAllConfig({ "todo-chatbot:aiops": "true", "todo-chatbot:aiopsProvider": "gemini", "todo-chatbot:replicas": "0" }, []);
    expect(() => loadStackConfig()).toThrow(/todo-chatbot:aiopsProvider[\s\S]*todo-chatbot:replicas|todo-chatbot:replicas[\s\S]*todo-chatbot:aiopsProvider/);
  });

  it("follows the app's OpenAI-compatible endpoint and model when aiops has none of its own", async () => {
    pulumi.runtime.setAllConfig(
      {
        "todo-chatbot:aiops": "true",
        "todo-chatbot:openaiApiKey": API_KEY,
        "todo-chatbot:openaiBaseUrl": "http://vllm.local/v1",
        "todo-chatbot:openaiModel": "qwen2.5",
        "todo-chatbot:aiopsModel": "",
      },
      ["todo-chatbot:openaiApiKey"],
    );
    const { settings, secrets } = loadStackConfig();
    const aiops = settings.aiops;
    const ops = installAiops({ provider: provider(), appNamespace: "todo", ...APP, plan: aiops, openaiApiKey: secrets.openaiApiKey }, { transformations: [mocks.capture] });
    if (!ops) throw new Error("aiops=true must install");
    await outputValue(ops.invokeCommand);
    await settle(mocks);
    expect(spec(mocks.one(MODEL))).toMatchObject({ model: "qwen2.5", openAI: { baseUrl: "http://vllm.local/v1" } });
  });
});

describe("the aiops plan refuses settings that cannot work", () => {
  const key = { openaiApiKey: "encrypted" } as const;
  it("needs an OpenAI key for the openai provider and says which config to set", () => {
    expect(() => parseSettings({ aiops: "true" })).toThrow(/todo-chatbot:aiops is true with aiopsProvider openai, but no OpenAI API key[^\n]*: run pulumi config set --secret openaiApiKey/);
  });
  it("rejects an unknown provider and a malformed chart version, naming the key and what to run", () => {
    expect(() => parseSettings({ aiops: "true", aiopsProvider: "gemini" }, key)).toThrow(
      /todo-chatbot:aiopsProvider must be one of openai, ollama, got "gemini": run pulumi config set aiopsProvider openai/,
    );
    expect(() => parseSettings({ aiops: "true", aiopsKagentVersion: "latest" }, key)).toThrow(/todo-chatbot:aiopsKagentVersion .*pulumi config rm aiopsKagentVersion/);
  });
  it("uses kagent's defaults: 0.9.12, gpt-4.1-mini, read-only, no sample agents", () => {
    expect(parseSettings({ aiops: "true" }, key).aiops).toEqual({
      provider: "openai",
      model: "gpt-4.1-mini",
      baseUrl: "",
      enableWriteTools: false,
      enableSampleAgents: false,
      kagentVersion: "0.9.12",
    });
    expect(parseSettings({ aiops: "true", aiopsProvider: "ollama" }).aiops).toEqual({
      provider: "ollama",
      model: "llama3.2",
      host: "http://host.minikube.internal:11434",
      enableWriteTools: false,
      enableSampleAgents: false,
      kagentVersion: "0.9.12",
    });
  });
});

describe("with aiops on (OpenAI key from the encrypted config)", () => {
  it("installs the agent the stack config asks for", async () => {
    pulumi.runtime.setAllConfig(
      { "todo-chatbot:aiops": "true", "todo-chatbot:aiopsModel": "gpt-4o-mini", "todo-chatbot:openaiApiKey": API_KEY },
      ["todo-chatbot:openaiApiKey"],
    );
    const { settings, secrets } = loadStackConfig();
    const aiops = settings.aiops;
    const ops = installAiops({ provider: provider(), appNamespace: "todo", ...APP, plan: aiops, openaiApiKey: secrets.openaiApiKey }, { transformations: [mocks.capture] });
    expect(ops).toBeInstanceOf(Aiops);
    if (!ops) return;
    expect(await outputValue(ops.invokeCommand)).toBe(
      'kagent invoke --agent todo-chatbot-ops --task "Why is the todo-chatbot backend not ready?" -n kagent',
    );
    await settle(mocks);
    expect(spec(mocks.one(MODEL)).model).toBe("gpt-4o-mini");
  });

  it("installs kagent-crds, then kagent (dependsOn), both pinned to 0.9.12 from kagent's OCI repository", async () => {
    await build();
    const [crds, kagent] = [mocks.one(RELEASE, "aiops-crds"), mocks.one(RELEASE, "aiops-kagent")];
    expect(crds.inputs).toMatchObject({
      name: "kagent-crds",
      chart: "oci://ghcr.io/kagent-dev/kagent/helm/kagent-crds",
      version: "0.9.12",
      namespace: "kagent",
    });
    expect(kagent.inputs).toMatchObject({
      name: "kagent",
      chart: "oci://ghcr.io/kagent-dev/kagent/helm/kagent",
      version: "0.9.12",
      namespace: "kagent",
    });
    expect(kagent.dependsOn).toContain(crds.resource);
    expect(crds.dependsOn).not.toContain(kagent.resource);
    // The Agent and ModelConfig wait for the controller release (and so are deleted before it).
    expect(mocks.one(AGENT).dependsOn).toContain(kagent.resource);
    expect(mocks.one(MODEL).dependsOn).toContain(kagent.resource);
  });

  it("turns kagent's sample agents and their MCP servers off", async () => {
    await build();
    const values = valuesOf(mocks.one(RELEASE, "aiops-kagent"));
    for (const key of [...SAMPLE_AGENT_VALUE_KEYS, ...SAMPLE_TOOL_VALUE_KEYS]) expect(values[key]).toEqual({ enabled: false });
    expect(mocks.byType(AGENT)).toHaveLength(1);
  });

  it("keeps the sample agents when asked", async () => {
    await build({ enableSampleAgents: true });
    expect(valuesOf(mocks.one(RELEASE, "aiops-kagent"))["k8s-agent"]).toEqual({ enabled: true });
  });

  it("keeps the API key secret: only in a Secret, referenced by name from the ModelConfig", async () => {
    await build();
    const secret = mocks.one(SECRET);
    const model = mocks.one(MODEL);
    const stringData = secret.inputs.stringData;
    expect(isSecretWrapper(stringData)).toBe(true);
    const plain = (stringData as { value: Record<string, string> }).value;
    expect(spec(model)).toMatchObject({ provider: "OpenAI", model: "gpt-4.1-mini" });
    expect(spec(model).apiKeySecret).toBe(metadata(secret).name);
    expect(plain[spec(model).apiKeySecretKey as string]).toBe(API_KEY);
    expect(metadata(secret).namespace).toBe(metadata(model).namespace);
    // Nowhere else in plain text: not in the Helm values, the Agent or the ModelConfig.
    for (const r of mocks.resources.filter((x) => x !== secret)) expect(JSON.stringify(r.inputs)).not.toContain(API_KEY);
    // kagent's own default ModelConfig points at the same Secret.
    expect(valuesOf(mocks.one(RELEASE, "aiops-kagent")).providers).toMatchObject({
      default: "openAI",
      openAI: { apiKeySecretRef: metadata(secret).name, apiKeySecretKey: spec(model).apiKeySecretKey },
    });
  });

  it("makes an Agent whose apiVersion, kind, namespace, model and tool server match kagent's objects", async () => {
    await build();
    const agent = mocks.one(AGENT);
    const model = mocks.one(MODEL);
    const kagent = mocks.one(RELEASE, "aiops-kagent");
    expect(agent.inputs).toMatchObject({ apiVersion: "kagent.dev/v1alpha2", kind: "Agent" });
    expect(model.inputs).toMatchObject({ apiVersion: "kagent.dev/v1alpha2", kind: "ModelConfig" });
    // ModelConfig "must be in the same namespace as the Agent"; kagent's tool server lives in the release namespace.
    expect(metadata(agent).namespace).toBe(kagent.inputs.namespace);
    expect(metadata(model).namespace).toBe(kagent.inputs.namespace);
    expect(spec(agent).type).toBe("Declarative");
    expect((spec(agent).declarative as { modelConfig: string }).modelConfig).toBe(metadata(model).name);
    // helm/kagent/templates/toolserver-kagent.yaml names it "<release fullname>-tool-server".
    expect(mcpServer(agent)).toMatchObject({ name: `${String(kagent.inputs.name)}-tool-server`, kind: "RemoteMCPServer", apiGroup: "kagent.dev" });
    const systemMessage = (spec(agent).declarative as { systemMessage: string }).systemMessage;
    expect(systemMessage).toContain("Namespace: todo.");
  });

  it("is read-only by default: read tools only, read-only RBAC and --read-only on the tool server", async () => {
    await build();
    const tools = mcpServer(mocks.one(AGENT));
    expect(tools.toolNames).toEqual([...READ_ONLY_TOOLS]);
    expect(tools.toolNames.some((t) => (WRITE_TOOLS as readonly string[]).includes(t))).toBe(false);
    expect(tools.requireApproval).toBeUndefined();
    const toolServer = valuesOf(mocks.one(RELEASE, "aiops-kagent"))["kagent-tools"];
    expect(toolServer).toMatchObject({ enabled: true, rbac: { readOnly: true }, tools: { args: ["--read-only"] } });
  });

  it("adds write tools only when enabled, each needing approval, with write RBAC", async () => {
    await build({ enableWriteTools: true });
    const tools = mcpServer(mocks.one(AGENT));
    expect(tools.toolNames).toEqual(expect.arrayContaining([...READ_ONLY_TOOLS, ...WRITE_TOOLS]));
    expect(tools.requireApproval).toEqual([...WRITE_TOOLS]);
    const toolServer = valuesOf(mocks.one(RELEASE, "aiops-kagent"))["kagent-tools"];
    expect(toolServer).toMatchObject({ rbac: { readOnly: false }, tools: { args: [] } });
  });

  it("exposes the agent's name and the commands to reach it", async () => {
    const ops = await build({ agentName: "ops" });
    expect(await outputValue(ops.agentName)).toBe("ops");
    expect(await outputValue(ops.namespace)).toBe("kagent");
    expect(await outputValue(ops.invokeCommand)).toMatch(/^kagent invoke --agent ops --task ".+" -n kagent$/);
    expect(await outputValue(ops.dashboardCommand)).toBe("kubectl -n kagent port-forward service/kagent-ui 8082:8080  # then open http://localhost:8082");
  });
});

describe("with aiops on and a local model", () => {
  it("uses Ollama without any Secret", async () => {
    await build({ llm: { provider: "ollama", host: "http://host.minikube.internal:11434" } });
    expect(mocks.byType(SECRET)).toHaveLength(0);
    expect(spec(mocks.one(MODEL))).toEqual({
      provider: "Ollama",
      model: "llama3.2",
      ollama: { host: "http://host.minikube.internal:11434", options: { num_ctx: "64000" } },
    });
    expect(valuesOf(mocks.one(RELEASE, "aiops-kagent")).providers).toMatchObject({ default: "ollama" });
  });

  it("can use a Secret that already exists in kagent's namespace instead of making one", async () => {
    await build({ llm: { provider: "openai", existingSecret: { name: "team-openai", key: "api-key" } } });
    expect(mocks.byType(SECRET)).toHaveLength(0);
    expect(spec(mocks.one(MODEL))).toMatchObject({ provider: "OpenAI", apiKeySecret: "team-openai", apiKeySecretKey: "api-key" });
  });

  it("passes an OpenAI-compatible base URL through", async () => {
    await build({ llm: { provider: "openai", apiKey: pulumi.secret(API_KEY), baseUrl: "http://vllm.local/v1" }, model: "qwen" });
    expect(spec(mocks.one(MODEL))).toMatchObject({ provider: "OpenAI", model: "qwen", openAI: { baseUrl: "http://vllm.local/v1" } });
  });
});
