import { beforeAll, describe, expect, it } from "vitest";
import {
  objectId,
  podTemplates,
  renderChart,
  schemaProblems,
  valueSets,
  type KubeObject,
  type Rendered,
  type ValueSet,
  unknownFields,
} from "../support/chart/index.js";
import { helmGate } from "./gate.js";

const app = "todo-todo-chatbot";
const common = [
  `ConfigMap/${app}-config`,
  `ServiceAccount/${app}-backend`,
  `ServiceAccount/${app}-frontend`,
  `Deployment/${app}-backend`,
  `Deployment/${app}-frontend`,
  `Service/${app}-backend`,
  `Service/${app}-frontend`,
  `NetworkPolicy/${app}-default-deny`,
  `NetworkPolicy/${app}-backend`,
  `NetworkPolicy/${app}-frontend`,
  `NetworkPolicy/${app}-test`,
  `Pod/${app}-test`,
];
const postgres = [`ServiceAccount/${app}-postgresql`, `StatefulSet/${app}-postgresql`, `Service/${app}-postgresql`, `NetworkPolicy/${app}-postgresql`];
const ownSecret = [`Secret/${app}`];

/** What each value set must render, and nothing else. */
const expected: Record<ValueSet, string[]> = {
  default: [...common, ...postgres, ...ownSecret],
  "external-db": [...common, ...ownSecret],
  nodeport: [...common, ...postgres, ...ownSecret],
  scaled: [
    ...common,
    ...postgres,
    ...ownSecret,
    `HorizontalPodAutoscaler/${app}-backend`,
    `PodDisruptionBudget/${app}-backend`,
    `PodDisruptionBudget/${app}-frontend`,
  ],
  "existing-secret": [...common, ...postgres],
};

const recommendedLabels = [
  "app.kubernetes.io/name",
  "app.kubernetes.io/instance",
  "app.kubernetes.io/version",
  "app.kubernetes.io/part-of",
  "app.kubernetes.io/managed-by",
  "helm.sh/chart",
];
/** Kinds without a namespace (none is rendered by the chart; if one were, metadata.namespace would be wrong on it). */
const clusterScopedKinds = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume", "StorageClass", "PriorityClass", "CustomResourceDefinition"]);
const stableSelectorKeys = new Set(["app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/component"]);

/** Every label selector an object carries, with where it is. */
function selectorsOf(object: KubeObject): { where: string; keys: string[] }[] {
  const spec = (object.spec ?? {}) as Record<string, unknown>;
  const found: { where: string; keys: string[] }[] = [];
  const add = (where: string, selector: unknown): void => {
    if (selector && typeof selector === "object") {
      const record = selector as { matchLabels?: Record<string, string> };
      const keys = Object.keys(record.matchLabels ?? (object.kind === "Service" ? record : {}));
      found.push({ where: `${objectId(object)} ${where}`, keys });
    }
  };
  if (object.kind === "Service") add("spec.selector", spec.selector);
  if (["Deployment", "StatefulSet", "PodDisruptionBudget"].includes(object.kind)) add("spec.selector", spec.selector);
  if (object.kind === "NetworkPolicy") add("spec.podSelector", spec.podSelector);
  return found;
}

describe.skipIf(!helmGate.ok)("rendered objects", () => {
  const rendered = new Map<ValueSet, Rendered>();
  beforeAll(async () => {
    for (const valueSet of valueSets) rendered.set(valueSet, await renderChart({ valueSet }));
  });
  const objectsOf = (valueSet: ValueSet): KubeObject[] => rendered.get(valueSet)?.objects ?? [];

  it.each(valueSets)("%s renders exactly the intended objects", (valueSet) => {
    const ids = objectsOf(valueSet).map(objectId);
    console.info(`[chart] ${valueSet}: ${ids.length} objects`);
    expect([...ids].sort()).toEqual([...expected[valueSet]].sort());
  });

  it.each(valueSets)("%s: every object is valid against the Kubernetes OpenAPI schema of its kind", async (valueSet) => {
    const problems: string[] = [];
    for (const object of objectsOf(valueSet)) problems.push(...(await schemaProblems(object)));
    expect(problems).toEqual([]);
  });

  it.each(valueSets)("%s: every object names the release namespace, so `helm template | kubectl apply` lands there", async (valueSet) => {
    const namespace = `shop-${valueSet}`;
    const { objects } = await renderChart({ valueSet, namespace });
    expect(objects.filter((object) => clusterScopedKinds.has(object.kind)).map(objectId)).toEqual([]);
    const elsewhere = objects.filter((object) => object.metadata.namespace !== namespace).map((object) => `${objectId(object)} in ${object.metadata.namespace ?? "(unset)"}`);
    expect(elsewhere).toEqual([]);
  });

  it.each(valueSets)("%s: objects and Pods carry the recommended labels; selectors use stable labels only", (valueSet) => {
    const problems: string[] = [];
    const objects = objectsOf(valueSet);
    for (const object of objects) {
      const labels = object.metadata.labels ?? {};
      for (const key of recommendedLabels) if (!labels[key]) problems.push(`${objectId(object)} lacks label ${key}`);
      for (const selector of selectorsOf(object)) {
        if (selector.keys.length === 0) problems.push(`${selector.where} is empty`);
        for (const key of selector.keys) if (!stableSelectorKeys.has(key)) problems.push(`${selector.where} uses unstable label ${key}`);
      }
    }
    for (const pod of podTemplates(objects)) {
      for (const key of [...recommendedLabels, "app.kubernetes.io/component"]) if (!pod.labels[key]) problems.push(`${pod.owner} Pods lack ${key}`);
    }
    expect(problems).toEqual([]);
  });

  it("names and labels follow the contract the Pulumi stack relies on", () => {
    const objects = objectsOf("default");
    const backend = objects.find((object) => objectId(object) === `Deployment/${app}-backend`);
    expect(backend?.metadata.labels).toMatchObject({
      "app.kubernetes.io/name": "todo-chatbot",
      "app.kubernetes.io/instance": "todo",
      "app.kubernetes.io/component": "backend",
      "app.kubernetes.io/part-of": "todo-chatbot",
      "app.kubernetes.io/managed-by": "Helm",
    });
    const test = objects.find((object) => object.kind === "Pod");
    expect(test?.metadata.annotations?.["helm.sh/hook"]).toBe("test");
  });

  it("no object of any value set has a field the Kubernetes API does not know", () => {
    const all = valueSets.flatMap((valueSet) => objectsOf(valueSet));
    expect(unknownFields(all)).toEqual([]);
    // the check is live: a misspelt probe and a misspelt metadata field are reported
    const broken = structuredClone(all);
    const backend = broken.find((object) => objectId(object) === `Deployment/${app}-backend`) as
      | (KubeObject & { spec: { template: { spec: { containers: Record<string, unknown>[] } } } })
      | undefined;
    const container = backend?.spec.template.spec.containers[0];
    if (!backend || !container) throw new Error("no backend Deployment rendered");
    container.readinesProbe = container.readinessProbe;
    (backend.metadata as unknown as Record<string, unknown>).lables = {};
    expect(unknownFields(broken)).toEqual([
      `Deployment/${app}-backend: metadata.lables is not a field of IObjectMeta`,
      `Deployment/${app}-backend: spec.template.spec.containers[0].readinesProbe is not a field of IContainer`,
    ]);
  }, 120_000);

  it("the schema check itself rejects a malformed object", async () => {
    const backend = objectsOf("default").find((object) => objectId(object) === `Deployment/${app}-backend`);
    const broken = structuredClone(backend) as KubeObject & { spec: { replicas: unknown } };
    broken.spec.replicas = "two";
    expect((await schemaProblems(broken)).join("\n")).toContain("/spec/replicas");
  });
});
