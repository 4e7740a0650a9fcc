// The chart on a real node (packages/local-cluster): every value set in apps/chart/ci/ installed with
// `helm install --wait` into a namespace enforcing Pod Security "restricted", the images built straight
// into the node's Docker daemon (imagePullPolicy: Never, as with Minikube's docker-env). Every Pod must
// really become Ready (probes run), `helm test` must pass, the PostgreSQL claim must bind, and through
// the frontend's NodePort a sign-up and a task round trip reach the backend and PostgreSQL by Service DNS.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { helm, helmOk, missingHelm, suiteGate, takeTurnsOnHost } from "@todo/testkit";
import {
  BASE_IMAGE,
  buildPostgresImage,
  eventually,
  KubeClient,
  missingBaseImage,
  missingCluster,
  restrictedNamespace,
  startCluster,
  type KubeObject,
  type LocalCluster,
  type Tunnel,
} from "@todo/local-cluster";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUpAndAddTask } from "../support/app-client.js";

const root = join(__dirname, "..", "..");
const chartDir = join(root, "apps", "chart");
// CLUSTER_VALUE_SETS=nodeport,default narrows the run by hand (CI runs every set); CLUSTER_HELM_TIMEOUT
// (default 6m) bounds each install's wait
const only = (process.env["CLUSTER_VALUE_SETS"] ?? "").split(",").filter(Boolean);
const valueSets = readdirSync(join(chartDir, "ci"))
  .filter((file) => file.endsWith("-values.yaml"))
  .map((file) => file.replace(/-values\.yaml$/, ""))
  .filter((set) => only.length === 0 || only.includes(set))
  .sort();
const helmTimeout = process.env["CLUSTER_HELM_TIMEOUT"] ?? "6m";

const gate = suiteGate("cluster (the chart on a node where Pods run)", missingCluster("node") ?? missingBaseImage() ?? missingHelm());

const TAG = "cluster-suite";
const IMAGES = { backend: `todo-chatbot-backend:${TAG}`, frontend: `todo-chatbot-frontend:${TAG}` };
const AUTH_SECRET = "test-only-auth-secret-0123456789abcdef";
const PG_PASSWORD = "testOnlyPgPassword42";

interface Pod extends KubeObject {
  status?: {
    phase?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: { name: string; ready: boolean; restartCount: number; state?: { waiting?: { reason?: string; message?: string } } }[];
  };
}

describe.skipIf(!gate.ok)("the chart on a real node", () => {
  takeTurnsOnHost(); // one suite at a time changes the host (packages/testkit/src/machine-lock.ts)
  let cluster: LocalCluster | undefined;
  let kube: KubeClient | undefined;
  let tunnel: Tunnel | undefined;
  const installs = new Map<string, Promise<{ code: number; output: string; seconds: number }>>();
  const live = () => {
    if (!cluster || !kube) throw new Error("the cluster did not start (see beforeAll)");
    return { cluster, kube };
  };

  /** Values every install gets on this node: the images built into it, and PostgreSQL's stand-in. */
  function nodeValues(pg: { repository: string; tag: string }): string[] {
    return [
      "--set", `backend.image.repository=todo-chatbot-backend,backend.image.tag=${TAG}`,
      "--set", `frontend.image.repository=todo-chatbot-frontend,frontend.image.tag=${TAG}`,
      "--set", "image.pullPolicy=Never",
      "--set", `postgresql.image.repository=${pg.repository},postgresql.image.tag=${pg.tag},postgresql.image.pullPolicy=Never`,
    ];
  }

  async function preparedNamespace(set: string): Promise<string> {
    const { kube } = live();
    const ns = `chart-${set}`;
    await kube.call("POST", "/api/v1/namespaces", restrictedNamespace(ns));
    await eventually(`serviceaccount/default in ${ns}`, () => kube.get(`/api/v1/namespaces/${ns}/serviceaccounts/default`).then(() => true));
    if (set === "existing-secret") {
      // the set names a Secret the user made beforehand (apps/chart/README.md lists its keys); it sets
      // networkPolicy.llmEgress, which tells the chart the Secret holds an OpenAI key too
      await kube.call("POST", `/api/v1/namespaces/${ns}/secrets`, {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "todo-chatbot-secrets" },
        stringData: { BETTER_AUTH_SECRET: AUTH_SECRET, POSTGRES_PASSWORD: PG_PASSWORD, OPENAI_API_KEY: "fake-test-only-openai-key-000000000000" },
      });
    }
    return ns;
  }

  /** external-db: an "external" PostgreSQL the backend reaches by DNS name (the set's URL is a placeholder). */
  async function externalDatabase(pg: { repository: string; tag: string }): Promise<string> {
    const { kube } = live();
    const ns = await preparedNamespace("external-db-server");
    const labels = { app: "external-postgresql" };
    await kube.call("POST", `/api/v1/namespaces/${ns}/pods`, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "postgresql", labels },
      spec: {
        securityContext: { runAsNonRoot: true, runAsUser: 10002, runAsGroup: 10002, fsGroup: 10002, seccompProfile: { type: "RuntimeDefault" } },
        containers: [
          {
            name: "postgresql",
            image: `${pg.repository}:${pg.tag}`,
            imagePullPolicy: "Never",
            env: [
              { name: "POSTGRES_USER", value: "todo" },
              { name: "POSTGRES_DB", value: "todo" },
              { name: "POSTGRES_PASSWORD", value: "testOnlyNeonPw" },
              { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
            ],
            readinessProbe: { exec: { command: ["pg_isready", "-q", "-h", "127.0.0.1", "-U", "todo", "-d", "todo"] }, periodSeconds: 2 },
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, readOnlyRootFilesystem: true },
            volumeMounts: ["/var/lib/postgresql/data", "/var/run/postgresql", "/tmp"].map((mountPath, i) => ({ name: `v${i}`, mountPath })),
          },
        ],
        volumes: [0, 1, 2].map((i) => ({ name: `v${i}`, emptyDir: {} })),
      },
    });
    await kube.call("POST", `/api/v1/namespaces/${ns}/services`, {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "postgresql" },
      spec: { selector: labels, ports: [{ port: 5432 }] },
    });
    return `postgres://todo:testOnlyNeonPw@postgresql.${ns}.svc.cluster.local:5432/todo?sslmode=disable`;
  }

  beforeAll(async () => {
    cluster = startCluster("node");
    kube = new KubeClient(cluster.kubeconfig);
    process.stderr.write(`[cluster] node ${cluster.env.NODE_IP} started in ${cluster.startSeconds.toFixed(1)} s\n`);
    const t0 = Date.now();
    await cluster.loadImages([BASE_IMAGE]);
    const [pg] = await Promise.all([
      buildPostgresImage(cluster, BASE_IMAGE),
      cluster.buildImage({ tag: IMAGES.backend, context: root, dockerfile: "apps/backend/Dockerfile", buildArgs: { NODE_IMAGE: BASE_IMAGE } }),
      cluster.buildImage({ tag: IMAGES.frontend, context: root, dockerfile: "apps/frontend/Dockerfile", buildArgs: { NODE_IMAGE: BASE_IMAGE } }),
    ]);
    process.stderr.write(`[cluster] images built into the node in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    const databaseUrl = await externalDatabase(pg);
    // as `minikube tunnel` in another terminal: LoadBalancer Services get an address (helm --wait waits for it)
    tunnel = cluster.startTunnel(kube);
    // every value set at once, each in its own namespace: helm --wait returns when its Pods are Ready
    for (const set of valueSets) {
      const started = Date.now();
      installs.set(
        set,
        preparedNamespace(set).then(async (ns) => {
          const extra = set === "external-db" ? ["--set-string", `secrets.databaseUrl=${databaseUrl}`] : [];
          const run = await helm(
            ["install", set, chartDir, "-n", ns, "-f", join(chartDir, "ci", `${set}-values.yaml`), ...nodeValues(pg), ...extra, "--wait", "--timeout", helmTimeout],
            { kubeconfig: cluster!.kubeconfig, timeoutMs: 420_000 },
          );
          return { code: run.code, output: `${run.stderr}${run.stdout}`, seconds: (Date.now() - started) / 1000 };
        }),
      );
    }
  }, 1_200_000);

  afterAll(async () => {
    await tunnel?.stop();
    cluster?.stop();
  }, 180_000);

  /** Why the release's Pods are not Ready: each Pod's phase, unready containers and waiting reasons. */
  async function podReport(ns: string): Promise<string> {
    const pods = await live().kube.list<Pod>(`/api/v1/namespaces/${ns}/pods`);
    return pods
      .map((pod) => {
        const containers = (pod.status?.containerStatuses ?? [])
          .map((c) => `${c.name} ready=${c.ready} restarts=${c.restartCount}${c.state?.waiting ? ` ${c.state.waiting.reason}: ${c.state.waiting.message ?? ""}` : ""}`)
          .join("; ");
        return `${pod.metadata.name} ${pod.status?.phase}: ${containers}`;
      })
      .join("\n");
  }

  it.each(valueSets)("value set %s: helm install --wait succeeds, every Pod Ready under Pod Security restricted", async (set) => {
    const install = installs.get(set);
    if (!install) throw new Error(`no install was started for ${set}`);
    const result = await install;
    process.stderr.write(`[cluster] ${set}: helm install --wait took ${result.seconds.toFixed(1)} s\n`);
    const ns = `chart-${set}`;
    expect(result.code, `helm install ${set} failed:\n${result.output}\nPods:\n${await podReport(ns)}`).toBe(0);
    const pods = await live().kube.list<Pod>(`/api/v1/namespaces/${ns}/pods`);
    expect(pods.length).toBeGreaterThan(0);
    for (const pod of pods) {
      expect(pod.status?.conditions?.find((c) => c.type === "Ready")?.status, `${pod.metadata.name}:\n${await podReport(ns)}`).toBe("True");
    }
  }, 480_000);

  it.each(valueSets)("value set %s: helm test passes against the running release", async (set) => {
    expect((await installs.get(set))?.code).toBe(0);
    const run = await helm(["test", set, "-n", `chart-${set}`, "--timeout", "3m", "--logs"], { kubeconfig: live().cluster.kubeconfig, timeoutMs: 240_000 });
    expect(run.code, `${run.stderr}${run.stdout}`).toBe(0);
  }, 300_000);

  it("binds the in-cluster PostgreSQL claim to the node's default StorageClass", async () => {
    expect((await installs.get("default"))?.code).toBe(0);
    const claims = await live().kube.list<KubeObject & { spec: { storageClassName?: string }; status?: { phase?: string } }>(
      "/api/v1/namespaces/chart-default/persistentvolumeclaims",
    );
    expect(claims.map((claim) => [claim.status?.phase, claim.spec.storageClassName])).toEqual([["Bound", "standard"]]);
  }, 480_000);

  it("through the frontend's NodePort from this machine: sign up, add a task, list it (backend -> PostgreSQL by DNS name)", async () => {
    expect((await installs.get("nodeport"))?.code).toBe(0);
    const base = `http://${live().cluster.env.NODE_IP}:30080`;
    const tasks = await signUpAndAddTask(base, "buy groceries");
    expect(tasks.map((task) => task.title)).toContain("buy groceries");
  }, 480_000);

  it("through the tunnel, the default set's LoadBalancer answers from this machine at its address", async () => {
    expect((await installs.get("default"))?.code).toBe(0);
    const service = await live().kube.get<KubeObject & { spec: { clusterIP: string }; status?: { loadBalancer?: { ingress?: { ip?: string }[] } } }>(
      "/api/v1/namespaces/chart-default/services/default-todo-chatbot-frontend",
    );
    // as minikube tunnel: the LoadBalancer's address is its ClusterIP, routed to the node
    const ip = service.status?.loadBalancer?.ingress?.[0]?.ip;
    expect(ip).toBe(service.spec.clusterIP);
    const response = await eventually(`http://${ip}/healthz`, async () => {
      const answer = await fetch(`http://${ip}/healthz`, { signal: AbortSignal.timeout(5_000) });
      return answer.ok ? answer : undefined;
    });
    expect(response.status).toBe(200);
  }, 480_000);

  it("an image the node's daemon does not have leaves the Pod in ErrImageNeverPull", async () => {
    expect((await installs.get("default"))?.code).toBe(0);
    const { cluster, kube } = live();
    const ns = await preparedNamespace("absent-image");
    await helmOk(
      ["install", "absent", chartDir, "-n", ns, "-f", join(chartDir, "ci", "default-values.yaml"), ...nodeValues({ repository: "postgres", tag: "absent" }),
        "--set", "backend.image.tag=absent-tag"],
      { kubeconfig: cluster.kubeconfig },
    );
    const reason = await eventually("the backend Pod waiting with ErrImageNeverPull", async () => {
      const pods = await kube.list<Pod>(`/api/v1/namespaces/${ns}/pods`, "app.kubernetes.io/component=backend");
      const waiting = pods[0]?.status?.containerStatuses?.find((c) => c.name === "backend")?.state?.waiting;
      return waiting?.reason === "ErrImageNeverPull" ? waiting : undefined;
    }, 120_000);
    expect(reason.message).toContain("todo-chatbot-backend:absent-tag");
  }, 240_000);
});
