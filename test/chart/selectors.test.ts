import { beforeAll, describe, expect, it } from "vitest";
import {
  byKind,
  objectId,
  podTemplates,
  renderChart,
  selectorMatches,
  serviceSelectorMatches,
  valueSets,
  type KubeObject,
  type PodTemplate,
  type ValueSet,
} from "../support/chart/index.js";
import { helmGate } from "./gate.js";

interface Selecting {
  spec: { selector?: Record<string, string> & { matchLabels?: Record<string, string> }; podSelector?: { matchLabels?: Record<string, string> } };
}

function componentOf(pod: PodTemplate): string {
  return pod.labels["app.kubernetes.io/component"] ?? "?";
}

/** The Pods an object selects, as component names, sorted. */
function selectedComponents(object: KubeObject, pods: PodTemplate[]): string[] {
  const spec = (object as unknown as Selecting).spec;
  const matches = (pod: PodTemplate): boolean => {
    if (object.kind === "Service") return serviceSelectorMatches(spec.selector, pod.labels);
    if (object.kind === "NetworkPolicy") return selectorMatches(spec.podSelector ?? {}, pod.labels);
    return selectorMatches(spec.selector ?? {}, pod.labels);
  };
  return pods.filter(matches).map(componentOf).sort();
}

/** What each selecting object is meant to select (by the component part of its name). */
function intended(object: KubeObject, components: string[]): string[] {
  const name = object.metadata.name;
  if (name.endsWith("-default-deny")) return [...components].sort();
  const component = name.slice(name.lastIndexOf("-") + 1);
  return [component];
}

describe.skipIf(!helmGate.ok)("selectors", () => {
  const rendered = new Map<ValueSet, KubeObject[]>();
  beforeAll(async () => {
    for (const valueSet of valueSets) rendered.set(valueSet, (await renderChart({ valueSet })).objects);
  });
  const objectsOf = (valueSet: ValueSet): KubeObject[] => rendered.get(valueSet) ?? [];

  it.each(valueSets)("%s: Services, NetworkPolicies and PDBs select exactly their intended Pods", (valueSet) => {
    const objects = objectsOf(valueSet);
    const pods = podTemplates(objects);
    const components = pods.map(componentOf);
    const selecting = [...byKind(objects, "Service"), ...byKind(objects, "NetworkPolicy"), ...byKind(objects, "PodDisruptionBudget")];
    expect(selecting.length).toBeGreaterThan(4);
    const actual = Object.fromEntries(selecting.map((object) => [objectId(object), selectedComponents(object, pods)]));
    const wanted = Object.fromEntries(selecting.map((object) => [objectId(object), intended(object, components)]));
    expect(actual).toEqual(wanted);
  });

  it.each(valueSets)("%s: workload selectors match their own Pod templates", (valueSet) => {
    const objects = objectsOf(valueSet);
    const problems: string[] = [];
    for (const workload of [...byKind(objects, "Deployment"), ...byKind(objects, "StatefulSet")]) {
      const pod = podTemplates([workload])[0];
      const selector = (workload as unknown as Selecting).spec.selector;
      if (!pod || !selector || !selectorMatches(selector, pod.labels)) problems.push(`${objectId(workload)} does not select its own Pods`);
      const others = podTemplates(objects).filter((other) => other.owner !== objectId(workload) && selector && selectorMatches(selector, other.labels));
      if (others.length > 0) problems.push(`${objectId(workload)} also selects ${others.map((other) => other.owner).join(", ")}`);
    }
    expect(problems).toEqual([]);
  });

  it.each(valueSets)("%s: every Service targets a port its Pods declare; StatefulSet's governing Service is headless", (valueSet) => {
    const objects = objectsOf(valueSet);
    const pods = podTemplates(objects);
    const problems: string[] = [];
    for (const service of byKind(objects, "Service")) {
      const spec = service.spec as { selector?: Record<string, string>; ports?: { targetPort?: string | number; port: number }[] };
      for (const pod of pods.filter((candidate) => serviceSelectorMatches(spec.selector, candidate.labels))) {
        for (const port of spec.ports ?? []) {
          const target = port.targetPort ?? port.port;
          const declared = pod.spec.containers.some((container) =>
            (container.ports ?? []).some((candidate) => candidate.name === target || candidate.containerPort === target));
          if (!declared) problems.push(`${objectId(service)} targets ${String(target)}, not declared by ${pod.owner}`);
        }
      }
    }
    for (const statefulSet of byKind(objects, "StatefulSet")) {
      const serviceName = (statefulSet.spec as { serviceName?: string }).serviceName;
      const service = byKind(objects, "Service").find((candidate) => candidate.metadata.name === serviceName);
      if ((service?.spec as { clusterIP?: string } | undefined)?.clusterIP !== "None") problems.push(`${objectId(statefulSet)} has no headless Service ${serviceName}`);
    }
    expect(problems).toEqual([]);
  });

  it("the HPA targets the backend Deployment, which then leaves replicas to it", () => {
    const objects = objectsOf("scaled");
    const [hpa] = byKind(objects, "HorizontalPodAutoscaler");
    const target = (hpa?.spec as { scaleTargetRef?: { kind: string; name: string } } | undefined)?.scaleTargetRef;
    expect(target).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "todo-todo-chatbot-backend" });
    const backend = byKind(objects, "Deployment").find((deployment) => deployment.metadata.name === target?.name);
    expect((backend?.spec as { replicas?: number }).replicas).toBeUndefined();
  });

  it("PDBs exist only for workloads with more than one Pod and state an unhealthy-Pod eviction policy", () => {
    expect(byKind(objectsOf("default"), "PodDisruptionBudget")).toEqual([]);
    const pdbs = byKind(objectsOf("scaled"), "PodDisruptionBudget");
    expect(pdbs.map((pdb) => pdb.spec)).toEqual(
      ["backend", "frontend"].map((component) =>
        expect.objectContaining({
          maxUnavailable: 1,
          unhealthyPodEvictionPolicy: "AlwaysAllow",
          selector: { matchLabels: expect.objectContaining({ "app.kubernetes.io/component": component }) },
        })),
    );
  });

  it("replicated Deployments spread over nodes and zones; single ones carry no spread rules", () => {
    const scaled = podTemplates(objectsOf("scaled")).filter((pod) => pod.owner.startsWith("Deployment/"));
    for (const pod of scaled) {
      expect(pod.spec.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.[0]?.podAffinityTerm.topologyKey).toBe("kubernetes.io/hostname");
      const spread = pod.spec.topologySpreadConstraints?.[0];
      expect(spread?.labelSelector && selectorMatches(spread.labelSelector, pod.labels)).toBe(true);
    }
    for (const pod of podTemplates(objectsOf("default"))) {
      expect(pod.spec.affinity).toBeUndefined();
      expect(pod.spec.topologySpreadConstraints).toBeUndefined();
    }
  });
});
