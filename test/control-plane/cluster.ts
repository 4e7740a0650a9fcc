import { parseAllDocuments } from "yaml";
import { eventually, StopWaiting, type KubeClient, type KubeEvent, type KubeObject } from "@todo/local-cluster";

/** Creates a namespace that enforces (and warns and audits at) Pod Security "restricted", latest version. */
export async function createRestrictedNamespace(kube: KubeClient, name: string): Promise<void> {
  const labels: Record<string, string> = {};
  for (const mode of ["enforce", "warn", "audit"]) {
    labels[`pod-security.kubernetes.io/${mode}`] = "restricted";
    labels[`pod-security.kubernetes.io/${mode}-version`] = "latest";
  }
  await kube.call("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name, labels } });
}

/** The objects of a multi-document YAML stream (helm get manifest, helm template). */
export function manifestObjects(yamlText: string): KubeObject[] {
  return parseAllDocuments(yamlText)
    .map((document) => document.toJS() as KubeObject | null)
    .filter((object): object is KubeObject => object !== null && typeof object === "object" && "kind" in object);
}

interface Workload extends KubeObject {
  spec: { replicas?: number; template: { metadata?: { annotations?: Record<string, string> } } };
}

/** Pods the chart's Deployments and StatefulSets should produce, by workload kind/name. */
export function expectedPods(objects: KubeObject[]): Map<string, number> {
  const expected = new Map<string, number>();
  for (const object of objects) {
    if (object.kind !== "Deployment" && object.kind !== "StatefulSet") continue;
    expected.set(`${object.kind}/${object.metadata.name}`, (object as Workload).spec.replicas ?? 1);
  }
  return expected;
}

/** Events that say a controller could not create a Pod (Pod Security rejections among them). */
export async function failedCreateEvents(kube: KubeClient, namespace: string): Promise<KubeEvent[]> {
  return (await kube.events(namespace)).filter((event) => event.reason === "FailedCreate");
}

/** The workload (Deployment or StatefulSet) a Pod belongs to, following Pod -> ReplicaSet -> Deployment. */
async function ownerWorkload(kube: KubeClient, namespace: string, pod: KubeObject): Promise<string | undefined> {
  const owner = pod.metadata.ownerReferences?.[0];
  if (!owner) return undefined;
  if (owner.kind === "StatefulSet") return `StatefulSet/${owner.name}`;
  if (owner.kind !== "ReplicaSet") return undefined;
  const replicaSet = await kube.get(`/apis/apps/v1/namespaces/${namespace}/replicasets/${owner.name}`);
  const deployment = replicaSet.metadata.ownerReferences?.find((reference) => reference.kind === "Deployment");
  return deployment ? `Deployment/${deployment.name}` : undefined;
}

/**
 * Waits until the controllers have created (and admission has let through) as many Pods per workload as
 * expected; fails early, quoting the event, when a controller reports FailedCreate.
 */
export async function waitForAdmittedPods(
  kube: KubeClient,
  namespace: string,
  expected: Map<string, number>,
): Promise<KubeObject[]> {
  return eventually(`Pods of ${[...expected.keys()].join(", ")} in ${namespace}`, async () => {
    const failures = await failedCreateEvents(kube, namespace);
    if (failures.length > 0) {
      throw new PodRejected(failures.map((event) => `${event.involvedObject.kind}/${event.involvedObject.name}: ${event.message ?? ""}`));
    }
    const pods = await kube.list(`/api/v1/namespaces/${namespace}/pods`);
    const counts = new Map<string, number>();
    for (const pod of pods) {
      const workload = await ownerWorkload(kube, namespace, pod);
      if (workload) counts.set(workload, (counts.get(workload) ?? 0) + 1);
    }
    for (const [workload, replicas] of expected) if ((counts.get(workload) ?? 0) < replicas) return undefined;
    return pods;
  });
}

export class PodRejected extends StopWaiting {
  readonly messages: string[];

  constructor(messages: string[]) {
    super(`a controller could not create Pods:\n${messages.join("\n")}`);
    this.messages = messages;
  }
}

/** Namespaced resource types the API server serves that can be listed (for "nothing left behind"). */
export async function namespacedResourcePaths(kube: KubeClient, namespace: string): Promise<string[]> {
  const groups = await kube.call<{ groups: { preferredVersion: { groupVersion: string } }[] }>("GET", "/apis");
  const bases = ["/api/v1", ...groups.groups.map((group) => `/apis/${group.preferredVersion.groupVersion}`)];
  const paths: string[] = [];
  for (const base of bases) {
    const { resources } = await kube.call<{ resources: { name: string; namespaced: boolean; verbs: string[] }[] }>("GET", base);
    for (const resource of resources) {
      if (!resource.namespaced || resource.name.includes("/") || !resource.verbs.includes("list")) continue;
      if (resource.name === "events") continue; // history, not state
      paths.push(`${base}/namespaces/${namespace}/${resource.name}`);
    }
  }
  return paths;
}

/** Objects a fresh namespace holds by itself (made by the control plane, not by the chart). */
export function isNamespaceDefault(path: string, object: KubeObject): boolean {
  return (
    (path.endsWith("/serviceaccounts") && object.metadata.name === "default") ||
    (path.endsWith("/configmaps") && object.metadata.name === "kube-root-ca.crt")
  );
}

/** Everything in the namespace that the namespace did not hold by itself, as "resource/name". */
export async function leftovers(kube: KubeClient, namespace: string): Promise<string[]> {
  const found: string[] = [];
  for (const path of await namespacedResourcePaths(kube, namespace)) {
    for (const object of await kube.list(path)) {
      if (!isNamespaceDefault(path, object)) found.push(`${path.split("/").pop() ?? path}/${object.metadata.name}`);
    }
  }
  return found;
}
