/**
 * Rendered Kubernetes objects: parsing helm's multi-document YAML, and typed access to the parts the
 * chart tests look at (Pod templates, selectors).
 */
import { parseAllDocuments } from "yaml";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec" with { "resolution-mode": "import" };
import type { IObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta" with { "resolution-mode": "import" };

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: IObjectMeta & { name: string };
  [field: string]: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses helm's output; throws on a document that is not a Kubernetes object. */
export function parseObjects(manifest: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const document of parseAllDocuments(manifest)) {
    if (document.errors.length > 0) throw new Error(`invalid YAML from helm: ${document.errors[0]?.message ?? ""}`);
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    if (!isRecord(value) || typeof value.apiVersion !== "string" || typeof value.kind !== "string") {
      throw new Error(`helm rendered something that is not a Kubernetes object: ${JSON.stringify(value).slice(0, 200)}`);
    }
    const metadata = value.metadata;
    if (!isRecord(metadata) || typeof metadata.name !== "string") {
      throw new Error(`a ${value.kind} has no metadata.name`);
    }
    objects.push(value as KubeObject);
  }
  return objects;
}

/** "Kind/name", how the tests name an object in messages. */
export function objectId(object: KubeObject): string {
  return `${object.kind}/${object.metadata.name}`;
}

export function byKind(objects: readonly KubeObject[], kind: string): KubeObject[] {
  return objects.filter((object) => object.kind === kind);
}

/** The object of that kind and name; throws naming what exists when it is missing. */
export function getObject(objects: readonly KubeObject[], kind: string, name: string): KubeObject {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) {
    const names = byKind(objects, kind).map((object) => object.metadata.name);
    throw new Error(`no ${kind} named ${name}; rendered ${kind}s: ${names.join(", ") || "none"}`);
  }
  return found;
}

/** A Pod as it will run: from a Pod, or from a workload's Pod template. */
export interface PodTemplate {
  /** the object that creates the Pods, e.g. "Deployment/todo-todo-chatbot-backend" */
  owner: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  spec: IPodSpec;
}

interface TemplateCarrier {
  spec?: { template?: { metadata?: IObjectMeta; spec?: IPodSpec } };
}

const workloadKinds = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"]);

/** Every Pod the objects would create (Pods, and the templates of workloads). */
export function podTemplates(objects: readonly KubeObject[]): PodTemplate[] {
  const pods: PodTemplate[] = [];
  for (const object of objects) {
    if (object.kind === "Pod") {
      const spec = object.spec as IPodSpec | undefined;
      if (!spec) throw new Error(`${objectId(object)} has no spec`);
      pods.push({ owner: objectId(object), labels: object.metadata.labels ?? {}, annotations: object.metadata.annotations ?? {}, spec });
    } else if (workloadKinds.has(object.kind)) {
      const template = (object as TemplateCarrier).spec?.template;
      if (!template?.spec) throw new Error(`${objectId(object)} has no Pod template`);
      pods.push({
        owner: objectId(object),
        labels: template.metadata?.labels ?? {},
        annotations: template.metadata?.annotations ?? {},
        spec: template.spec,
      });
    }
  }
  return pods;
}
