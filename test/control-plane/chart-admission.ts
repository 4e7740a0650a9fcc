import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
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
import { eventually, statusMessage, type KubeClient, type KubeObject } from "@todo/local-cluster";

/** The chart's own value sets (apps/chart/ci/<name>-values.yaml), each installed into its own namespace. */
const valueSets = readdirSync(join(chartDir, "ci"))
  .filter((file) => file.endsWith("-values.yaml"))
  .map((file) => ({ name: file.replace(/-values\.yaml$/, ""), file: join(chartDir, "ci", file) }));
const valuesFile = (name: string): string => join(chartDir, "ci", `${name}-values.yaml`);
const rootPostRenderer = join(__dirname, "root-user-post-renderer.ts");

interface PodTemplateObject extends KubeObject {
  spec: { template: { metadata: { annotations?: Record<string, string> }; spec: Record<string, unknown> } };
}

interface ValueSet {
  existingSecret?: string;
  postgresql?: { enabled?: boolean };
}

/** The Secret a value set with `existingSecret` expects to exist already (as the Pulumi stack makes it). */
async function createExistingSecret(kube: KubeClient, namespace: string, values: ValueSet): Promise<void> {
  if (!values.existingSecret) return;
  const data: Record<string, string> = { BETTER_AUTH_SECRET: "test-only-auth-secret-0123456789abcdef" };
  if (values.postgresql?.enabled === false) data.DATABASE_URL = "postgres://todo:pw@db.example.invalid:5432/todo";
  else data.POSTGRES_PASSWORD = "testOnlyPgPassword42";
  await kube.call("POST", `/api/v1/namespaces/${namespace}/secrets`, {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: values.existingSecret },
    stringData: data,
  });
}

async function installAndCheck(kube: KubeClient, kubeconfig: string, namespace: string, release: string, file: string) {
  await createRestrictedNamespace(kube, namespace);
  await createExistingSecret(kube, namespace, (parse(readFileSync(file, "utf8")) ?? {}) as ValueSet);
  const install = await helmOk(kubeconfig, ["install", release, chartDir, "--namespace", namespace, "-f", file]);
  // Pod Security also checks the Pod templates of Deployments/StatefulSets when they are created and
  // answers with a warning: none may be printed for our chart.
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
  const replicaSets = await kube.list(`/apis/apps/v1/namespaces/${namespace}/replicasets`);
  expect(replicaSets.length).toBe(objects.filter((object) => object.kind === "Deployment").length);
  return { objects, pods };
}

interface StatefulSetObject extends KubeObject {
  spec: {
    replicas?: number;
    volumeClaimTemplates?: { metadata: { name: string } }[];
    persistentVolumeClaimRetentionPolicy?: { whenDeleted?: string };
  };
}

/** "persistentvolumeclaims/<claim>-<statefulset>-<ordinal>" of StatefulSets that retain their claims when deleted. */
function retainedClaims(objects: KubeObject[]): string[] {
  return objects
    .filter((object): object is StatefulSetObject => object.kind === "StatefulSet")
    .filter((set) => (set.spec.persistentVolumeClaimRetentionPolicy?.whenDeleted ?? "Retain") === "Retain")
    .flatMap((set) =>
      (set.spec.volumeClaimTemplates ?? []).flatMap((template) =>
        Array.from({ length: set.spec.replicas ?? 1 }, (_, ordinal) => `persistentvolumeclaims/${template.metadata.name}-${set.metadata.name}-${ordinal}`),
      ),
    );
}

const component = (object: KubeObject): string | undefined => object.metadata.labels?.["app.kubernetes.io/component"];

/** The chart on the API server, in namespaces that enforce Pod Security "restricted". */
export function describeChartAdmission(cluster: () => { kube: KubeClient; kubeconfig: string }): void {
  describe("the chart on a real API server with Pod Security 'restricted' enforced", () => {
    it("has the value sets this suite installs", () => {
      expect(valueSets.map((set) => set.name)).toEqual(expect.arrayContaining(["default", "external-db"]));
    });

    it.each(valueSets)(
      "installs the $name value set: every object stored, ReplicaSets and Pods created and admitted",
      async ({ name, file }) => {
        const { kube, kubeconfig } = cluster();
        const { objects, pods } = await installAndCheck(kube, kubeconfig, `values-${name}`, "todo", file);
        const components = new Set(pods.map(component));
        expect(components).toContain("backend");
        expect(components).toContain("frontend");
        if (name === "default") {
          const kinds = new Set(objects.map((object) => object.kind));
          for (const kind of ["Deployment", "StatefulSet", "Service", "ConfigMap", "Secret", "ServiceAccount", "NetworkPolicy"]) {
            expect(kinds, `the default install renders a ${kind}`).toContain(kind);
          }
          expect(components).toContain("postgresql");
        }
        if (name === "external-db") {
          expect(objects.map(component)).not.toContain("postgresql");
          expect(components).not.toContain("postgresql");
        }
      },
      180_000,
    );

    it("helm upgrade with a changed config value changes the Pod template checksum and rolls out a new ReplicaSet", async () => {
      const { kube, kubeconfig } = cluster();
      const path = "/apis/apps/v1/namespaces/values-default/deployments/todo-todo-chatbot-backend";
      const before = await kube.get<PodTemplateObject>(path);
      await helmOk(kubeconfig, ["upgrade", "todo", chartDir, "-n", "values-default", "-f", valuesFile("default"), "--set", "config.logLevel=debug"]);
      const after = await kube.get<PodTemplateObject>(path);
      const checksum = (object: PodTemplateObject) => object.spec.template.metadata.annotations?.["checksum/config"];
      expect(checksum(before)).toMatch(/^[0-9a-f]{64}$/);
      expect(checksum(after)).toMatch(/^[0-9a-f]{64}$/);
      expect(checksum(after)).not.toBe(checksum(before));
      // The Deployment controller answers the template change with a second ReplicaSet, whose Pod is admitted.
      const selector = "app.kubernetes.io/instance=todo,app.kubernetes.io/component=backend";
      await eventually("a second backend ReplicaSet with an admitted Pod", async () => {
        const replicaSets = await kube.list("/apis/apps/v1/namespaces/values-default/replicasets", selector);
        const pods = await kube.list("/api/v1/namespaces/values-default/pods", selector);
        return replicaSets.length === 2 && pods.length === 2 ? true : undefined;
      });
      expect(await failedCreateEvents(kube, "values-default")).toEqual([]);
    }, 120_000);

    it("admits the helm test Pod and the backend Pod as rendered, and rejects that Pod run as root", async () => {
      const { kube, kubeconfig } = cluster();
      const namespace = "values-default";
      const hooks = manifestObjects((await helmOk(kubeconfig, ["get", "hooks", "todo", "-n", namespace])).stdout);
      const testPod = hooks.find((object) => object.kind === "Pod");
      expect(testPod, "the chart has a helm test Pod").toBeDefined();
      if (!testPod) return;
      const admitted = await kube.create({ ...testPod, metadata: { ...testPod.metadata, name: "helm-test-copy" } }, namespace);
      expect(admitted.status, statusMessage(admitted.body)).toBe(201);

      // The backend Pod spec the chart renders, once as is and once as root.
      const deployment = await kube.get<PodTemplateObject>(`/apis/apps/v1/namespaces/${namespace}/deployments/todo-todo-chatbot-backend`);
      const spec = deployment.spec.template.spec;
      const compliant = await kube.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "backend-as-rendered" }, spec }, namespace);
      expect(compliant.status, statusMessage(compliant.body)).toBe(201);
      const rootSpec = structuredClone(spec) as {
        securityContext?: Record<string, unknown>;
        containers: { securityContext?: Record<string, unknown> }[];
      };
      rootSpec.securityContext = { ...rootSpec.securityContext, runAsUser: 0, runAsNonRoot: false };
      for (const container of rootSpec.containers) {
        container.securityContext = { ...container.securityContext, runAsUser: 0, runAsNonRoot: false };
      }
      const rejected = await kube.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "backend-as-root" }, spec: rootSpec }, namespace);
      expect(rejected.status).toBe(403);
      expect(statusMessage(rejected.body)).toMatch(/violates PodSecurity "restricted:latest".*runAsNonRoot != true.*runAsUser=0/);
      for (const name of ["helm-test-copy", "backend-as-rendered"]) {
        await kube.call("DELETE", `/api/v1/namespaces/${namespace}/pods/${name}`);
      }
    }, 60_000);

    it("a root-user variant of the chart installs, but admission refuses its backend Pods", async () => {
      const { kube, kubeconfig } = cluster();
      const namespace = "chart-root";
      await createRestrictedNamespace(kube, namespace);
      const install = await helmOk(kubeconfig, [
        "install", "root", chartDir, "-n", namespace, "-f", valuesFile("default"),
        "--post-renderer", process.execPath, "--post-renderer-args", rootPostRenderer,
      ]);
      // one warning, for the backend Deployment's Pod template (Deployments are only warned about)
      const warnings = podSecurityWarnings(install.stderr + install.stdout);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/restricted:latest.*runAsNonRoot != true.*runAsUser=0/);
      const objects = manifestObjects((await helmOk(kubeconfig, ["get", "manifest", "root", "-n", namespace])).stdout);
      const rejection = await waitForAdmittedPods(kube, namespace, expectedPods(objects)).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(rejection).toBeInstanceOf(PodRejected);
      expect((rejection as PodRejected).messages.join("\n")).toMatch(
        /ReplicaSet\/root-todo-chatbot-backend-[a-z0-9]+: .*violates PodSecurity "restricted:latest"/,
      );
      const backendPods = await kube.list(`/api/v1/namespaces/${namespace}/pods`, "app.kubernetes.io/component=backend");
      expect(backendPods).toEqual([]);
      await helmOk(kubeconfig, ["uninstall", "root", "-n", namespace]);
    }, 120_000);

    it("helm uninstall leaves nothing behind", async () => {
      const { kube, kubeconfig } = cluster();
      for (const { name, file } of valueSets) {
        const namespace = `values-${name}`;
        const objects = manifestObjects((await helmOk(kubeconfig, ["get", "manifest", "todo", "-n", namespace])).stdout);
        // Kept on purpose: a Secret made outside the chart for `existingSecret`, and the data volume
        // claims of a StatefulSet whose retention policy says Retain (the database survives an uninstall).
        const external = ((parse(readFileSync(file, "utf8")) ?? {}) as ValueSet).existingSecret;
        const kept = new Set([...(external ? [`secrets/${external}`] : []), ...retainedClaims(objects)]);
        const chartLeftovers = async () => (await leftovers(kube, namespace)).filter((entry) => !kept.has(entry));
        await helmOk(kubeconfig, ["uninstall", "todo", "-n", namespace]);
        const left = await eventually(`an empty ${namespace}`, async () => {
          const found = await chartLeftovers();
          return found.length === 0 ? found : undefined;
        }).catch(chartLeftovers);
        expect(left, `objects left in ${namespace} after helm uninstall`).toEqual([]);
        expect(await leftovers(kube, namespace), "what is kept on purpose is still there").toEqual(
          expect.arrayContaining([...kept]),
        );
        expect((await helm(kubeconfig, ["status", "todo", "-n", namespace])).code).not.toBe(0);
      }
    }, 240_000);
  });
}
