// The local cluster itself: a node that registers and becomes Ready, Pods from images in the node's
// Docker daemon (imagePullPolicy: Never, as on Minikube), probes, logs through the API server, Service DNS
// and kube-proxy, a NodePort reached from this machine, the default StorageClass, ErrImageNeverPull for an
// absent image, old image tags pruned, and a host left exactly as it was after `stop`.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suiteGate, takeTurnsOnHost } from "@todo/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusterScript, dockerCli } from "../src/cluster.ts";
import { eventually, KubeClient, missingCluster, startCluster, StopWaiting, type KubeObject, type LocalCluster } from "../src/index.ts";
import { hostChanges, processesAndMountsUnder, snapshotHost, type HostSnapshot } from "../src/host-snapshot.ts";
import { BASE_IMAGE, missingBaseImage, restrictedNamespace, restrictedPod } from "../src/pods.ts";

const gate = suiteGate("local-cluster (a node where Pods run)", missingCluster("node") ?? missingBaseImage());

interface Pod extends KubeObject {
  status?: {
    phase?: string;
    podIP?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: { ready: boolean; state?: { waiting?: { reason?: string; message?: string } } }[];
  };
}

interface Node extends KubeObject {
  status?: { nodeInfo?: { kubeletVersion?: string; containerRuntimeVersion?: string }; conditions?: { type: string; status: string }[] };
}

const NS = "local-cluster-test";
const SERVER = `require("node:http").createServer((q, s) => s.end("hello from " + process.env.HOSTNAME)).listen(8080, () => console.log("listening on 8080"))`;

describe.skipIf(!gate.ok)("a local cluster with a node", () => {
  takeTurnsOnHost(); // one suite at a time changes the host (packages/testkit/src/machine-lock.ts)
  let before: HostSnapshot | undefined;
  let cluster: LocalCluster | undefined;
  let kube: KubeClient | undefined;
  let stopped = false;
  const live = () => {
    if (!cluster || !kube) throw new Error("the cluster did not start (see beforeAll)");
    return { cluster, kube };
  };

  async function podWhen(name: string, done: (pod: Pod) => boolean, timeoutMs = 120_000): Promise<Pod> {
    const { kube } = live();
    return eventually(`Pod ${name}`, async () => {
      const pod = await kube.get<Pod>(`/api/v1/namespaces/${NS}/pods/${name}`);
      const waiting = pod.status?.containerStatuses?.[0]?.state?.waiting;
      if (waiting?.reason && /CreateContainerConfigError|CrashLoopBackOff|InvalidImageName/.test(waiting.reason)) {
        throw new StopWaiting(`Pod ${name}: ${waiting.reason}: ${waiting.message ?? ""}`);
      }
      return done(pod) ? pod : undefined;
    }, timeoutMs);
  }

  beforeAll(async () => {
    before = snapshotHost();
    cluster = startCluster("node");
    kube = new KubeClient(cluster.kubeconfig);
    process.stderr.write(`[local-cluster] started in ${cluster.startSeconds.toFixed(1)} s (${cluster.dir}, node ${cluster.env.NODE_IP})\n`);
    await cluster.loadImages([BASE_IMAGE]);
    await kube.call("POST", "/api/v1/namespaces", restrictedNamespace(NS));
    await eventually("serviceaccount/default", () => kube!.get(`/api/v1/namespaces/${NS}/serviceaccounts/default`).then(() => true));
  }, 600_000);

  afterAll(() => {
    if (!stopped) cluster?.stop();
  }, 180_000);

  it("registers a Ready node running the pinned kubelet on Docker through cri-dockerd", async () => {
    const { cluster, kube } = live();
    const node = await kube.get<Node>(`/api/v1/nodes/${cluster.env.NODE_NAME}`);
    expect(node.status?.nodeInfo?.kubeletVersion).toBe("v1.34.2");
    expect(node.status?.nodeInfo?.containerRuntimeVersion).toMatch(/^docker:\/\/20\.10\./);
    expect(node.status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("True");
  });

  it("runs a Pod from an image in the node's daemon (pull policy Never) until its readiness probe passes; its log comes through the API server", async () => {
    const { kube } = live();
    const pod = restrictedPod("web", { image: BASE_IMAGE, command: ["node", "-e", SERVER], port: 8080, labels: { app: "web" } });
    await kube.call("POST", `/api/v1/namespaces/${NS}/pods`, pod);
    const ready = await podWhen("web", (p) => p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false);
    expect(ready.status?.podIP).toMatch(/^10\.244\.0\./);
    const log = await kube.send("GET", `/api/v1/namespaces/${NS}/pods/web/log`);
    expect(log.status).toBe(200);
    expect(String(log.body)).toContain("listening on 8080");
  }, 180_000);

  it("resolves a Service by its short and full DNS names and routes to the Pod through kube-proxy", async () => {
    const { kube } = live();
    await kube.call("POST", `/api/v1/namespaces/${NS}/services`, {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "web" },
      spec: { selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    // the Service has a ready endpoint before the client starts; the client still retries (bounded: 30 x 0.5 s),
    // as any client does while kube-proxy programs a Service it has just seen
    await eventually("an endpoint of Service web", async () => {
      const slices = await kube.list<KubeObject & { endpoints?: { conditions?: { ready?: boolean } }[] }>(
        `/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices`,
        "kubernetes.io/service-name=web",
      );
      return slices.some((slice) => slice.endpoints?.some((e) => e.conditions?.ready)) ? true : undefined;
    });
    const client =
      `const get = async (u, n = 30) => { try { return await (await fetch(u)).text(); } catch (e) { if (n <= 1) throw e; await new Promise((r) => setTimeout(r, 500)); return get(u, n - 1); } };` +
      `Promise.all(["http://web/", "http://web.${NS}.svc.cluster.local/"].map((u) => get(u))).then((t) => { console.log(t.join(" | ")); }, (e) => { console.error(String(e.cause ?? e)); process.exit(1); })`;
    await kube.call("POST", `/api/v1/namespaces/${NS}/pods`, restrictedPod("client", { image: BASE_IMAGE, command: ["node", "-e", client], restartPolicy: "Never" }));
    const done = await podWhen("client", (p) => p.status?.phase === "Succeeded" || p.status?.phase === "Failed");
    const log = String((await kube.send("GET", `/api/v1/namespaces/${NS}/pods/client/log`)).body);
    expect(done.status?.phase, log).toBe("Succeeded");
    expect(log).toMatch(/hello from web \| hello from web/);
  }, 180_000);

  it("answers a NodePort from this machine at the node's address", async () => {
    const { cluster, kube } = live();
    const service = await kube.call<{ spec: { ports: { nodePort: number }[] } }>("POST", `/api/v1/namespaces/${NS}/services`, {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "web-nodeport" },
      spec: { type: "NodePort", selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    const url = `http://${cluster.env.NODE_IP}:${service.spec.ports[0]?.nodePort}/`;
    const body = await eventually(`${url} answering`, async () => {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      return response.ok ? response.text() : undefined;
    });
    expect(body).toBe("hello from web");
  }, 120_000);

  it("binds a claim without a class to the default StorageClass \"standard\"", async () => {
    const { kube } = live();
    await kube.call("POST", `/api/v1/namespaces/${NS}/persistentvolumeclaims`, {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "data" },
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
    });
    const claim = await eventually("the claim bound", async () => {
      const pvc = await kube.get<KubeObject & { spec: { storageClassName?: string }; status?: { phase?: string } }>(
        `/api/v1/namespaces/${NS}/persistentvolumeclaims/data`,
      );
      return pvc.status?.phase === "Bound" ? pvc : undefined;
    });
    expect(claim.spec.storageClassName).toBe("standard");
  }, 120_000);

  it("reports ErrImageNeverPull for an image the node's daemon does not have", async () => {
    const { kube } = live();
    await kube.call("POST", `/api/v1/namespaces/${NS}/pods`, restrictedPod("absent", { image: "local-cluster/absent:1", command: ["true"] }));
    const pod = await podWhen("absent", (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === "ErrImageNeverPull");
    expect(pod.status?.containerStatuses?.[0]?.state?.waiting?.message).toContain("local-cluster/absent:1");
  }, 120_000);

  it("prune-images keeps the LOCAL_CLUSTER_KEEP_TAGS most recently tagged images of each repository and removes the older tags", async () => {
    const { cluster } = live();
    const context = mkdtempSync(join(tmpdir(), "prune-images-"));
    const PRUNE = "local-cluster-test/prune";
    /** repository -> its tags */
    const repositories = (): Map<string, string[]> => {
      const out = execFileSync(dockerCli(), ["images", "--filter", "dangling=false", "--format", "{{.Repository}} {{.Tag}}"], { env: cluster.dockerEnv(), encoding: "utf8" });
      const repos = new Map<string, string[]>();
      for (const [repo = "", tag = ""] of out.trim().split("\n").map((line) => line.split(" "))) {
        if (tag !== "<none>") repos.set(repo, [...(repos.get(repo) ?? []), tag].sort()); // a digest without a tag
      }
      return repos;
    };
    try {
      writeFileSync(join(context, "Dockerfile"), "FROM registry.k8s.io/pause:3.10\nARG N\nLABEL n=$N\n");
      // a kept data-root may hold these images from an earlier run: the builds then come from the cache,
      // and what counts is when each was tagged, not when it was first created
      for (const n of [1, 2, 3, 4]) await cluster.buildImage({ tag: `${PRUNE}:${n}`, context, buildArgs: { N: String(n) } });
      const before = repositories();
      execFileSync("bash", [clusterScript, "prune-images", cluster.dir], { env: { ...process.env, LOCAL_CLUSTER_KEEP_TAGS: "2" }, stdio: "ignore" });
      const after = repositories();
      expect(after.get(PRUNE)).toEqual(["3", "4"]);
      for (const [repo, tags] of before) {
        if (repo === PRUNE) continue;
        const kept = after.get(repo) ?? [];
        expect(kept.every((tag) => tags.includes(tag)), repo).toBe(true);
        expect(kept.length, repo).toBe(Math.min(tags.length, 2)); // at most two kept, none removed below that
      }
    } finally {
      rmSync(context, { recursive: true, force: true });
    }
  }, 180_000);

  it("leaves nothing on the host after stop: no process, mount, namespace, link, route, cgroup, rule, sysctl or /etc file", () => {
    const { cluster } = live();
    cluster.stop();
    stopped = true;
    if (!before) throw new Error("no snapshot from before start");
    expect(processesAndMountsUnder(cluster.dir)).toEqual([]);
    expect(hostChanges(before, snapshotHost())).toEqual([]);
  }, 180_000);
});
