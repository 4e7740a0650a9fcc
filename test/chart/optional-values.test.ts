import { beforeAll, describe, expect, it } from "vitest";
import {
  byKind,
  objectId,
  podTemplates,
  renderChart,
  restrictedProblems,
  schemaProblems,
  selectorMatches,
  unknownFields,
  type KubeObject,
} from "../support/chart/index.js";
import { helmGate } from "./gate.js";

/** Every optional knob at once, on top of the default value set. */
const everything = {
  nameOverride: "chatbot",
  fullnameOverride: "my-todo",
  imagePullSecrets: ["registry-credentials"],
  backend: {
    image: { repository: "registry.example.test/todo/backend", tag: "1.2.3" },
    replicaCount: 3,
    podAnnotations: { "example.test/owner": "team-a" },
    nodeSelector: { "kubernetes.io/os": "linux" },
    tolerations: [{ key: "dedicated", operator: "Equal", value: "apps", effect: "NoSchedule" }],
  },
  frontend: {
    service: { type: "LoadBalancer", port: 8080, nodePort: 31080, annotations: { "example.test/lb": "internal" } },
    nodeSelector: { "kubernetes.io/os": "linux" },
    tolerations: [{ operator: "Exists" }],
  },
  postgresql: {
    persistence: { size: "5Gi", storageClass: "fast-ssd" },
    nodeSelector: { "kubernetes.io/os": "linux" },
    podAnnotations: { "backup.example.test/enabled": "true" },
  },
  config: { trustedOrigins: "https://a.example.test,https://b.example.test", logLevel: "debug" },
};

describe.skipIf(!helmGate.ok)("optional values", () => {
  let objects: KubeObject[] = [];
  beforeAll(async () => {
    objects = (await renderChart({ valueSet: "default", values: everything })).objects;
  });

  it("render valid, restricted objects", async () => {
    const problems: string[] = [];
    for (const object of objects) problems.push(...(await schemaProblems(object)));
    problems.push(...unknownFields(objects));
    for (const pod of podTemplates(objects)) problems.push(...restrictedProblems(pod.spec).map((problem) => `${pod.owner}: ${problem}`));
    expect(problems).toEqual([]);
  }, 120_000);

  it("apply to the objects they name", () => {
    expect(objects.map(objectId)).toContain("Deployment/my-todo-backend");
    const pods = podTemplates(objects);
    for (const pod of pods) {
      expect(pod.labels["app.kubernetes.io/name"]).toBe("chatbot");
      expect(pod.spec.imagePullSecrets).toEqual([{ name: "registry-credentials" }]);
    }
    const backend = pods.find((pod) => pod.owner === "Deployment/my-todo-backend");
    expect(backend?.spec.containers[0]?.image).toBe("registry.example.test/todo/backend:1.2.3");
    expect(backend?.annotations["example.test/owner"]).toBe("team-a");
    expect(backend?.spec.tolerations).toEqual(everything.backend.tolerations);
    const spread = backend?.spec.topologySpreadConstraints?.[0]?.labelSelector;
    expect(spread && backend && selectorMatches(spread, backend.labels)).toBe(true);
    const service = byKind(objects, "Service").find((candidate) => candidate.metadata.name === "my-todo-frontend");
    expect(service?.metadata.annotations).toEqual({ "example.test/lb": "internal" });
    expect((service?.spec as { ports: unknown[] }).ports).toEqual([
      { name: "http", port: 8080, targetPort: "http", protocol: "TCP", appProtocol: "http", nodePort: 31080 },
    ]);
    const [statefulSet] = byKind(objects, "StatefulSet");
    const claim = (statefulSet?.spec as { volumeClaimTemplates: { spec: unknown }[] }).volumeClaimTemplates[0];
    expect(claim?.spec).toEqual({ accessModes: ["ReadWriteOnce"], storageClassName: "fast-ssd", resources: { requests: { storage: "5Gi" } } });
    expect(byKind(objects, "PodDisruptionBudget").map(objectId)).toEqual(["PodDisruptionBudget/my-todo-backend"]);
  });
});
