import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  createRestrictedNamespace,
  expectedPods,
  failedCreateEvents,
  leftovers,
  manifestObjects,
  PodRejected,
  waitForAdmittedPods,
} from "./cluster.js";
import { chartDir, helm, helmOk, podSecurityWarnings } from "./helm.js";
import { eventually, type KubeClient, type KubeObject } from "./kube-client.js";

const secretValues = ["--set", `secrets.betterAuthSecret=${"s".repeat(48)}`];
const defaultValues = [...secretValues, "--set", "secrets.postgresPassword=testpassword123"];
const externalDbValues = [
  ...secretValues,
  "--set",
  "postgresql.enabled=false",
  "--set",
  "secrets.databaseUrl=postgres://todo:secret@db.example.invalid:5432/todo?sslmode=require",
];
const rootPostRenderer = join(__dirname, "root-user-post-renderer.ts");

interface PodTemplateObject extends KubeObject {
  spec: { template: { metadata: { annotations?: Record<string, string> }; spec: Record<string, unknown> } };
}

async function installAndCheck(kube: KubeClient, kubeconfig: string, namespace: string, release: string, values: string[]) {
  await createRestrictedNamespace(kube, namespace);
  const install = await helmOk(kubeconfig, ["install", release, chartDir, "--namespace", namespace, ...values]);
  // Pod Security also checks the Pod templates of Deployments/StatefulSets at creation and answers
  // with a warning: none may be printed for our chart.
  expect(podSecurityWarnings(install.stderr + install.stdout)).toEqual([]);

  const objects = manifestObjects((await helmOk(kubeconfig, ["get", "manifest", release, "-n", namespace])).stdout);
  expect(objects.length).toBeGreaterThan(5);
  for (const object of objects) {
    const path = await kube.pathOf(object.apiVersion ?? "v1", object.kind ?? "", namespace, object.metadata.name);
    const stored = await kube.get(path);
    expect(stored.metadata.name, `${object.kind}/${object.metadata.name} stored`).toBe(object.metadata.name);
  }

  const expected = expectedPods(objects);
  const pods = await waitForAdmittedPods(kube, namespace, expected);
  expect(await failedCreateEvents(kube, namespace)).toEqual([]);
  return { objects, pods, expected };
}

/** The chart on the API server, in namespaces that enforce Pod Security "restricted". */
export function describeChartAdmission(cluster: () => { kube: KubeClient; kubeconfig: string }): void {
  describe("the chart on a real API server with Pod Security 'restricted' enforced", () => {
    it("installs with default values: every object stored, ReplicaSets and Pods created and admitted", async () => {
      const { kube, kubeconfig } = cluster();
      const { objects, pods, expected } = await installAndCheck(kube, kubeconfig, "chart-default", "todo", defaultValues);
      const kinds = new Set(objects.map((object) => object.kind));
      for (const kind of ["Deployment", "Service", "ConfigMap", "Secret", "ServiceAccount", "StatefulSet"]) {
        expect(kinds, `the default install renders a ${kind}`).toContain(kind);
      }
      expect(expected.get("StatefulSet/todo-todo-chatbot-postgresql") ?? expected.size).toBeGreaterThan(0);
      const replicaSets = await kube.list("/apis/apps/v1/namespaces/chart-default/replicasets");
      expect(replicaSets.length).toBe([...expected.keys()].filter((key) => key.startsWith("Deployment/")).length);
      expect(pods.length).toBe([...expected.values()].reduce((sum, replicas) => sum + replicas, 0));
    }, 180_000);

    it("installs with external-database values: no PostgreSQL objects, app Pods admitted", async () => {
      const { kube, kubeconfig } = cluster();
      const { objects, pods } = await installAndCheck(kube, kubeconfig, "chart-external-db", "ext", externalDbValues);
      const components = objects.map((object) => object.metadata.labels?.["app.kubernetes.io/component"]);
      expect(components).not.toContain("postgresql");
      expect(objects.some((object) => object.kind === "StatefulSet")).toBe(false);
      expect(pods.map((pod) => pod.metadata.labels?.["app.kubernetes.io/component"]).sort()).toEqual(["backend", "frontend"]);
    }, 180_000);

    it("helm upgrade with a changed config value changes the Pod template checksum and rolls out a new ReplicaSet", async () => {
      const { kube, kubeconfig } = cluster();
      const path = "/apis/apps/v1/namespaces/chart-default/deployments/todo-todo-chatbot-backend";
      const before = await kube.get<PodTemplateObject>(path);
      await helmOk(kubeconfig, ["upgrade", "todo", chartDir, "-n", "chart-default", ...defaultValues, "--set", "config.logLevel=debug"]);
      const after = await kube.get<PodTemplateObject>(path);
      const checksum = (object: PodTemplateObject) => object.spec.template.metadata.annotations?.["checksum/config"];
      expect(checksum(before)).toMatch(/^[0-9a-f]{64}$/);
      expect(checksum(after)).toMatch(/^[0-9a-f]{64}$/);
      expect(checksum(after)).not.toBe(checksum(before));
      // The Deployment controller answers the template change with a second ReplicaSet, whose Pod is admitted.
      await eventually("a second backend ReplicaSet with an admitted Pod", async () => {
        const replicaSets = await kube.list(
          "/apis/apps/v1/namespaces/chart-default/replicasets",
          "app.kubernetes.io/instance=todo,app.kubernetes.io/component=backend",
        );
        const pods = await kube.list(
          "/api/v1/namespaces/chart-default/pods",
          "app.kubernetes.io/instance=todo,app.kubernetes.io/component=backend",
        );
        return replicaSets.length === 2 && pods.length === 2 ? true : undefined;
      });
      expect(await failedCreateEvents(kube, "chart-default")).toEqual([]);
    }, 120_000);

    it("admits the helm test Pod, and rejects the backend Pod when it is made to run as root", async () => {
      const { kube, kubeconfig } = cluster();
      const hooks = manifestObjects((await helmOk(kubeconfig, ["get", "hooks", "todo", "-n", "chart-default"])).stdout);
      const testPod = hooks.find((object) => object.kind === "Pod");
      expect(testPod, "the chart has a helm test Pod").toBeDefined();
      if (!testPod) return;
      const admitted = await kube.create({ ...testPod, metadata: { ...testPod.metadata, name: "helm-test-copy" } }, "chart-default");
      expect(admitted.status, JSON.stringify(admitted.body)).toBe(201);

      // The same backend Pod spec the chart renders, once as is and once as root.
      const deployment = await kube.get<PodTemplateObject>("/apis/apps/v1/namespaces/chart-default/deployments/todo-todo-chatbot-backend");
      const spec = structuredClone(deployment.spec.template.spec);
      const compliant = await kube.create(
        { apiVersion: "v1", kind: "Pod", metadata: { name: "backend-as-chart-renders-it" }, spec },
        "chart-default",
      );
      expect(compliant.status, JSON.stringify(compliant.body)).toBe(201);
      const rootSpec = structuredClone(spec) as { securityContext?: Record<string, unknown>; containers: { securityContext?: Record<string, unknown> }[] };
      rootSpec.securityContext = { ...rootSpec.securityContext, runAsUser: 0, runAsNonRoot: false };
      for (const container of rootSpec.containers) container.securityContext = { ...container.securityContext, runAsUser: 0, runAsNonRoot: false };
      const rejected = await kube.create(
        { apiVersion: "v1", kind: "Pod", metadata: { name: "backend-as-root" }, spec: rootSpec },
        "chart-default",
      );
      expect(rejected.status).toBe(403);
      expect(JSON.stringify(rejected.body)).toMatch(/violates PodSecurity "restricted:latest".*runAsNonRoot != true/);
      for (const name of ["helm-test-copy", "backend-as-chart-renders-it"]) {
        await kube.call("DELETE", `/api/v1/namespaces/chart-default/pods/${name}`);
      }
    }, 60_000);

    it("a root-user variant of the chart installs but its backend Pods are refused by admission", async () => {
      const { kube, kubeconfig } = cluster();
      await createRestrictedNamespace(kube, "chart-root");
      const install = await helmOk(kubeconfig, [
        "install", "root", chartDir, "-n", "chart-root", ...defaultValues,
        "--post-renderer", process.execPath, "--post-renderer-args", rootPostRenderer,
      ]);
      expect(podSecurityWarnings(install.stderr + install.stdout).join("\n")).toMatch(/deployment "root-todo-chatbot-backend"[\s\S]*runAsNonRoot != true/i);
      const objects = manifestObjects((await helmOk(kubeconfig, ["get", "manifest", "root", "-n", "chart-root"])).stdout);
      const rejection = await waitForAdmittedPods(kube, "chart-root", expectedPods(objects)).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(rejection).toBeInstanceOf(PodRejected);
      expect((rejection as PodRejected).messages.join("\n")).toMatch(
        /ReplicaSet\/root-todo-chatbot-backend-[a-z0-9]+: .*violates PodSecurity "restricted:latest"/,
      );
      await helmOk(kubeconfig, ["uninstall", "root", "-n", "chart-root"]);
    }, 120_000);

    it("helm uninstall leaves nothing behind", async () => {
      const { kube, kubeconfig } = cluster();
      for (const [release, namespace] of [["todo", "chart-default"], ["ext", "chart-external-db"]] as const) {
        await helmOk(kubeconfig, ["uninstall", release, "-n", namespace]);
        const left = await eventually(`an empty ${namespace}`, async () => {
          const found = await leftovers(kube, namespace);
          return found.length === 0 ? found : undefined;
        }).catch(async () => leftovers(kube, namespace));
        expect(left, `objects left in ${namespace} after helm uninstall`).toEqual([]);
        const status = await helm(kubeconfig, ["status", release, "-n", namespace]);
        expect(status.code).not.toBe(0);
      }
    }, 180_000);
  });
}
