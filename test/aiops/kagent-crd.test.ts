/**
 * Our Agent and ModelConfig objects against kagent's v1alpha2 CRD schemas (kagent 0.9.12):
 * structural schema through ajv (unknown fields rejected) plus the CEL rules. The hand-written
 * subset always runs; with kagent's CRD files present it is also checked against them and the
 * objects are validated against the full upstream schemas.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { KAGENT_API_VERSION } from "../../stack/aiops/constants";
import { type LlmSettings, buildAgent, buildModelConfig } from "../../stack/aiops/manifests";
import { SECRET_NAME } from "../../stack/release/names";
import { AGENT_SUBSET, MODEL_CONFIG_SUBSET } from "./support/kagent-crd-subset";
import { type StructuralSchema, compileSchema, validateAgainst } from "./support/structural-schema";
import { CRD_DIRS, loadUpstreamCrd, subsetMismatches } from "./support/upstream-crd";

const openai: LlmSettings = { provider: "openai", model: "gpt-4.1-mini", apiKeySecretName: "todo-chatbot-aiops-llm", apiKeySecretKey: "OPENAI_API_KEY" };
const compatible: LlmSettings = { ...openai, model: "qwen2.5", baseUrl: "http://llm.example.invalid:8000/v1" };
const ollama: LlmSettings = { provider: "ollama", model: "llama3.2", host: "http://host.minikube.internal:11434" };

const modelConfigs = {
  openai: buildModelConfig("m", "kagent", openai),
  compatible: buildModelConfig("m", "kagent", compatible),
  ollama: buildModelConfig("m", "kagent", ollama),
};
const agent = (enableWriteTools: boolean) =>
  buildAgent({ name: "todo-chatbot-ops", namespace: "kagent", modelConfigName: "m", appNamespace: "todo", appFullname: "todo-chatbot", appSecretName: SECRET_NAME, enableWriteTools });
const agents = { readOnly: agent(false), write: agent(true) };

/** A deep copy with one change, for the negative cases. */
function mutate<T>(object: T, change: (copy: Record<string, unknown>) => void): unknown {
  const copy = structuredClone(object) as Record<string, unknown>;
  change(copy);
  return copy;
}

function checks(label: string, schemas: () => { agent: StructuralSchema; modelConfig: StructuralSchema }): void {
  describe(label, () => {
    beforeAll(() => {
      compileSchema(schemas().agent);
      compileSchema(schemas().modelConfig);
    }, 120_000);

    it.each(Object.entries(modelConfigs))("accepts our ModelConfig (%s)", (_name, object) => {
      expect(validateAgainst(schemas().modelConfig, object)).toEqual([]);
    });
    it.each(Object.entries(agents))("accepts our Agent (%s)", (_name, object) => {
      expect(validateAgainst(schemas().agent, object)).toEqual([]);
    });

    it("rejects a field the CRD does not have", () => {
      const bad = mutate(agents.readOnly, (o) => {
        (o.spec as Record<string, Record<string, unknown>>).declarative!.systemPrompt = "typo of systemMessage";
      });
      expect(validateAgainst(schemas().agent, bad).join("\n")).toMatch(/systemPrompt/);
      const badModel = mutate(modelConfigs.openai, (o) => {
        (o.spec as Record<string, unknown>).apiKeySecretRef = "the Helm values' name, not the CRD's";
      });
      expect(validateAgainst(schemas().modelConfig, badModel).join("\n")).toMatch(/apiKeySecretRef/);
    });

    it("rejects a value outside an enum", () => {
      const bad = mutate(agents.readOnly, (o) => {
        (o.spec as Record<string, unknown>).type = "Declaritive";
      });
      expect(validateAgainst(schemas().agent, bad).join("\n")).toMatch(/allowed values|Declarative/);
      const badModel = mutate(modelConfigs.openai, (o) => {
        (o.spec as Record<string, unknown>).provider = "openai";
      });
      expect(validateAgainst(schemas().modelConfig, badModel)).not.toEqual([]);
    });

    it("applies the CRD's CEL rules", () => {
      const approvalNotListed = mutate(agents.write, (o) => {
        const tool = ((o.spec as Record<string, Record<string, unknown>>).declarative!.tools as { mcpServer: { requireApproval: string[] } }[])[0]!;
        tool.mcpServer.requireApproval = ["k8s_execute_command"];
      });
      expect(validateAgainst(schemas().agent, approvalNotListed).join("\n")).toMatch(/requireApproval/);
      const openAIBlockOnOllama = mutate(modelConfigs.ollama, (o) => {
        (o.spec as Record<string, unknown>).openAI = { baseUrl: "http://x" };
      });
      expect(validateAgainst(schemas().modelConfig, openAIBlockOnOllama).join("\n")).toMatch(/self.openAI/);
      const keyWithoutSecret = mutate(modelConfigs.openai, (o) => {
        delete (o.spec as Record<string, unknown>).apiKeySecret;
      });
      expect(validateAgainst(schemas().modelConfig, keyWithoutSecret).join("\n")).toMatch(/apiKeySecretKey/);
      const declarativeMissing = mutate(agents.readOnly, (o) => {
        delete (o.spec as Record<string, unknown>).declarative;
      });
      expect(validateAgainst(schemas().agent, declarativeMissing)).not.toEqual([]);
    });

    it("rejects more tools than the CRD allows", () => {
      const tooMany = mutate(agents.readOnly, (o) => {
        const d = (o.spec as Record<string, Record<string, unknown[]>>).declarative!;
        d.tools = Array.from({ length: 21 }, () => d.tools![0]);
      });
      expect(validateAgainst(schemas().agent, tooMany).join("\n")).toMatch(/20/);
    });
  });
}

checks("against the hand-written subset of kagent's CRDs", () => ({ agent: AGENT_SUBSET, modelConfig: MODEL_CONFIG_SUBSET }));

const upstreamAgent = loadUpstreamCrd("agents");
const upstreamModel = loadUpstreamCrd("modelconfigs");
const upstreamServer = loadUpstreamCrd("remotemcpservers");

// kagent's own CRD files are not part of this repository (they are kagent's, and the workplace keeps
// fetched files out of commits): a maintainer points KAGENT_CRD_DIR at them to re-check the subset above
// against the exact upstream schema. Without them these checks are not registered at all, so CI, which
// requires every registered test to run, checks the hand-written subset only.
const upstreamPresent = upstreamAgent !== undefined && upstreamModel !== undefined;
if (!upstreamPresent) {
  process.stderr.write(`[info] aiops: kagent's own CRD files not found (${CRD_DIRS.join(", ")}); checked against the hand-written subset only\n`);
}
(upstreamPresent ? describe : () => undefined)(`against kagent's own CRD files (looked for in ${CRD_DIRS.join(", ")})`, () => {
  const storage = (crd: typeof upstreamAgent) => {
    const version = crd?.versions.find((v) => v.storage);
    if (!version) throw new Error(`${crd?.file}: no storage version`);
    return version;
  };

  it("serves Agent, ModelConfig and RemoteMCPServer as kagent.dev/v1alpha2 (storage version)", () => {
    for (const [crd, kind] of [[upstreamAgent, "Agent"], [upstreamModel, "ModelConfig"], [upstreamServer, "RemoteMCPServer"]] as const) {
      expect(crd?.kind).toBe(kind);
      const version = storage(crd);
      expect(version.served).toBe(true);
      expect(`${crd?.group}/${version.name}`).toBe(KAGENT_API_VERSION);
    }
    expect(agents.readOnly.kind).toBe(upstreamAgent?.kind);
    expect(modelConfigs.openai.kind).toBe(upstreamModel?.kind);
  });

  it("matches the hand-written subset field by field", () => {
    expect(subsetMismatches(AGENT_SUBSET, storage(upstreamAgent).schema)).toEqual([]);
    expect(subsetMismatches(MODEL_CONFIG_SUBSET, storage(upstreamModel).schema)).toEqual([]);
  });

  checks("full upstream schema", () => ({ agent: storage(upstreamAgent).schema, modelConfig: storage(upstreamModel).schema }));
});
