import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildAgent, buildModelConfig } from "../../components/kagent/manifests";
import { manifestObjects } from "./cluster.js";
import { eventually, statusMessage, type KubeClient, type KubeObject } from "./kube-client.js";

/**
 * Where kagent's CRD YAML of the pinned release (v0.9.12) is looked for, first match wins: the
 * repository's fixtures, $KAGENT_CRD_DIR, then the shared folder beside the repository (see
 * test/fixtures/kagent/SOURCE.md).
 */
export const kagentCrdDirs = [
  join(__dirname, "..", "fixtures", "kagent"),
  ...(process.env.KAGENT_CRD_DIR ? [process.env.KAGENT_CRD_DIR] : []),
  join(__dirname, "..", "..", "..", "shared", "fixtures", "kagent"),
];

export function kagentCrds(): KubeObject[] {
  for (const dir of kagentCrdDirs) {
    if (!existsSync(dir)) continue;
    const crds = readdirSync(dir)
      .filter((file) => /\.ya?ml$/.test(file))
      .flatMap((file) => manifestObjects(readFileSync(join(dir, file), "utf8")))
      .filter((object) => object.kind === "CustomResourceDefinition");
    if (crds.length > 0) return crds;
  }
  return [];
}

interface CrdStatus extends KubeObject {
  status?: { conditions?: { type: string; status: string }[] };
}

/** Applies the CRDs and waits until the API server serves them. */
export async function applyCrds(kube: KubeClient, crds: KubeObject[]): Promise<void> {
  for (const crd of crds) {
    await kube.call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
  }
  for (const crd of crds) {
    await eventually(`CRD ${crd.metadata.name} established`, async () => {
      const stored = await kube.get<CrdStatus>(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`);
      return stored.status?.conditions?.some((condition) => condition.type === "Established" && condition.status === "True")
        ? true
        : undefined;
    });
  }
}

const NAMESPACE = "kagent";

/** The Agent and ModelConfig objects the Pulumi program applies, in each of its variants. */
function ourObjects(): KubeObject[] {
  const openai = buildModelConfig("todo-chatbot-openai", NAMESPACE, {
    provider: "openai",
    model: "gpt-4.1-mini",
    apiKeySecretName: "todo-chatbot-kagent-openai",
    apiKeySecretKey: "OPENAI_API_KEY",
  });
  const compatible = buildModelConfig("todo-chatbot-compatible", NAMESPACE, {
    provider: "openai",
    model: "qwen2.5",
    apiKeySecretName: "todo-chatbot-kagent-openai",
    apiKeySecretKey: "OPENAI_API_KEY",
    baseUrl: "http://llm.example.invalid:8000/v1",
  });
  const ollama = buildModelConfig("todo-chatbot-ollama", NAMESPACE, {
    provider: "ollama",
    model: "llama3.2",
    host: "http://host.minikube.internal:11434",
  });
  const agent = (name: string, enableWriteTools: boolean) =>
    buildAgent({
      name,
      namespace: NAMESPACE,
      modelConfigName: openai.metadata.name,
      appNamespace: "todo-chatbot",
      appFullname: "todo-chatbot",
      enableWriteTools,
    });
  return [openai, compatible, ollama, agent("todo-chatbot-ops", false), agent("todo-chatbot-ops-write", true)];
}

/** kagent's CRDs applied to the API server; our Agent and ModelConfig checked by its structural schema validation. */
export function describeKagentResources(cluster: () => { kube: KubeClient }): void {
  const crds = kagentCrds();
  describe("kagent custom resources against kagent's real CRDs", () => {
    if (crds.length === 0) {
      it.todo(`PENDING: kagent v0.9.12 CRD YAML not found in ${kagentCrdDirs.join(", ")} (test/fixtures/kagent/SOURCE.md)`);
      return;
    }

    it("serves kagent's Agent and ModelConfig CRDs", async () => {
      const { kube } = cluster();
      await applyCrds(kube, crds);
      const kinds = crds.map((crd) => (crd.spec as { names: { kind: string } }).names.kind);
      expect(kinds).toEqual(expect.arrayContaining(["Agent", "ModelConfig"]));
      await kube.call("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: NAMESPACE } });
    }, 60_000);

    it.each(ourObjects().map((object) => ({ kind: object.kind ?? "", name: object.metadata.name, object })))(
      "accepts our $kind $name with strict field validation (no field unknown to the CRD)",
      async ({ object }) => {
        const { kube } = cluster();
        const response = await eventually("the kagent API in discovery", () => kube.create(object, NAMESPACE));
        expect(response.status, statusMessage(response.body)).toBe(201);
        expect(response.warnings).toEqual([]);
      },
      30_000,
    );

    it("rejects a ModelConfig that breaks the CRD's schema (the check can fail)", async () => {
      const { kube } = cluster();
      const [valid] = ourObjects();
      if (!valid) throw new Error("no ModelConfig built");
      const broken = { ...valid, metadata: { ...valid.metadata, name: "broken" }, spec: { ...valid.spec, provider: "NoSuchProvider" } };
      const response = await kube.create(broken, NAMESPACE);
      expect(response.status).toBe(422);
      expect(statusMessage(response.body)).toMatch(/spec\.provider: Unsupported value: "NoSuchProvider"/);
      const unknownField = { ...valid, metadata: { ...valid.metadata, name: "unknown-field" }, spec: { ...valid.spec, temperature: 0.2 } };
      const strict = await kube.create(unknownField, NAMESPACE);
      expect(strict.status).toBe(400);
      expect(statusMessage(strict.body)).toMatch(/unknown field "spec\.temperature"/);
    }, 30_000);
  });
}
