import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildAgent, buildModelConfig } from "../../stack/aiops/manifests";
import { SECRET_NAME } from "../../stack/release/names";
import { AGENT_SUBSET, MODEL_CONFIG_SUBSET } from "../aiops/support/kagent-crd-subset";
import { type StructuralSchema } from "../aiops/support/structural-schema";
import { manifestObjects } from "./cluster.js";
import { eventually, statusMessage, type KubeClient, type KubeObject } from "@todo/local-cluster";

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

/** kagent's own CRD YAML (v0.9.12), when a maintainer made it available; [] otherwise. */
export function upstreamKagentCrds(): KubeObject[] {
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

/**
 * The subset keeps upstream's CEL rules, some of which name fields the subset leaves out; the API server
 * refuses to compile those, so they are dropped here (the rules about fields we use stay).
 */
function withCompilableRules(schema: StructuralSchema): StructuralSchema {
  const fields = new Set(Object.keys(schema.properties ?? {}));
  const rules = schema["x-kubernetes-validations"]?.filter((rule) =>
    [...rule.rule.matchAll(/self\.([A-Za-z_][A-Za-z0-9_]*)/g)].every((match) => fields.has(match[1] ?? "")),
  );
  return {
    ...schema,
    ...(schema.properties
      ? { properties: Object.fromEntries(Object.entries(schema.properties).map(([key, child]) => [key, withCompilableRules(child)])) }
      : {}),
    ...(schema.items ? { items: withCompilableRules(schema.items) } : {}),
    ...(typeof schema.additionalProperties === "object" ? { additionalProperties: withCompilableRules(schema.additionalProperties) } : {}),
    ...(rules ? { "x-kubernetes-validations": rules } : {}),
  };
}

/** A kagent.dev/v1alpha2 CRD whose schema is the hand-written subset of kagent's (test/aiops/support). */
function crdFromSubset(kind: string, plural: string, schema: StructuralSchema): KubeObject {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `${plural}.kagent.dev` },
    spec: {
      group: "kagent.dev",
      scope: "Namespaced",
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      versions: [{ name: "v1alpha2", served: true, storage: true, schema: { openAPIV3Schema: withCompilableRules(schema) }, subresources: { status: {} } }],
    },
  };
}

/**
 * The CRDs to apply: kagent's own files when present (test/fixtures/kagent/SOURCE.md), otherwise CRDs
 * made from the hand-written subset of their schemas (types, enums, required fields, CEL rules of the
 * fields we use; any other field is unknown), which a clean clone always has.
 */
export function kagentCrds(): { source: string; crds: KubeObject[] } {
  const upstream = upstreamKagentCrds();
  if (upstream.length > 0) return { source: "kagent v0.9.12's own CRDs", crds: upstream };
  return {
    source: "CRDs built from the hand-written subset of kagent v0.9.12's schemas",
    crds: [crdFromSubset("Agent", "agents", AGENT_SUBSET), crdFromSubset("ModelConfig", "modelconfigs", MODEL_CONFIG_SUBSET)],
  };
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
      appSecretName: SECRET_NAME,
      enableWriteTools,
    });
  return [openai, compatible, ollama, agent("todo-chatbot-ops", false), agent("todo-chatbot-ops-write", true)];
}

/** kagent's CRDs applied to the API server; our Agent and ModelConfig checked by its structural schema validation. */
export function describeKagentResources(cluster: () => { kube: KubeClient }): void {
  const { source, crds } = kagentCrds();
  describe(`kagent custom resources against ${source}`, () => {

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
