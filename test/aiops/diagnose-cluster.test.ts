/**
 * `npm run diagnose` against a real kube-apiserver (packages/local-cluster, --control-plane-only: etcd + kube-apiserver +
 * controllers, no kubelet) with the real kubectl: objects are created through the API, a Pod's status
 * is written as the kubelet would write it for ErrImageNeverPull, and the script must find the
 * namespace by label, read everything and print the hints.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { dirname } from "node:path";
import { findExecutable, suiteGate, takeTurnsOnHost } from "@todo/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { missingCluster, startCluster, type LocalCluster } from "@todo/local-cluster";
import { diagnoseNodeArgs } from "./support/diagnose-command";

const kubectlBin = findExecutable("kubectl");
const gate = suiteGate(
  "aiops diagnose against a control plane",
  missingCluster("control-plane") ?? (kubectlBin ? undefined : "kubectl not found on PATH (https://kubernetes.io/docs/tasks/tools/)"),
);

const NS = "todo-chatbot";
const POD = "todo-chatbot-backend-7c9d5b8f6d-4xk2p";
const IMAGE = "todo-chatbot-backend:3f9a1c2e7b41";
const labels = { "app.kubernetes.io/name": "todo-chatbot", "app.kubernetes.io/instance": "todo-chatbot" };

describe.skipIf(!gate.ok)("npm run diagnose on a real API server", () => {
  takeTurnsOnHost(); // one suite at a time changes the host (packages/testkit/src/machine-lock.ts)
  let plane: LocalCluster | undefined;
  const kubectl = (args: string[], input?: string): string => {
    if (!plane || !kubectlBin) throw new Error("the control plane did not start (see beforeAll)");
    return execFileSync(kubectlBin, args, { encoding: "utf8", input, env: { ...process.env, KUBECONFIG: plane.kubeconfig } });
  };

  beforeAll(async () => {
    plane = startCluster("control-plane");
    kubectl(["create", "namespace", NS]);
    // the ServiceAccount admission needs the namespace's default ServiceAccount, made by a controller
    for (let i = 0; i < 120; i += 1) {
      if (spawnSync(kubectlBin ?? "kubectl", ["get", "serviceaccount", "default", "-n", NS], { env: { ...process.env, KUBECONFIG: plane.kubeconfig } }).status === 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const objects = [
      // a Node for the Pod to be bound to, so the Pod garbage collector does not remove it as orphaned
      { apiVersion: "v1", kind: "Node", metadata: { name: "minikube" } },
      {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: POD, namespace: NS, labels: { ...labels, "app.kubernetes.io/component": "backend" } },
        spec: { nodeName: "minikube", containers: [{ name: "backend", image: IMAGE, imagePullPolicy: "Never" }] },
      },
      {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "todo-chatbot-frontend", namespace: NS, labels: { ...labels, "app.kubernetes.io/component": "frontend" } },
        spec: { type: "LoadBalancer", selector: { "app.kubernetes.io/component": "frontend" }, ports: [{ name: "http", port: 80, targetPort: 3000 }] },
      },
    ];
    kubectl(["apply", "-f", "-"], JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }));
    const message = `Container image "${IMAGE}" is not present with pull policy of Never`;
    kubectl(["patch", "pod", POD, "-n", NS, "--subresource=status", "--type=merge", "-p", JSON.stringify({
      status: {
        phase: "Pending",
        conditions: [{ type: "PodScheduled", status: "True" }, { type: "Ready", status: "False", reason: "ContainersNotReady" }],
        containerStatuses: [{ name: "backend", image: IMAGE, imageID: "", ready: false, restartCount: 0, started: false, state: { waiting: { reason: "ErrImageNeverPull", message } } }],
      },
    })]);
    kubectl(["create", "-f", "-"], JSON.stringify({
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: `${POD}.e2e`, namespace: NS },
      involvedObject: { kind: "Pod", name: POD, namespace: NS },
      reason: "ErrImageNeverPull",
      message,
      type: "Warning",
      count: 3,
      firstTimestamp: "2026-11-29T21:40:00Z",
      lastTimestamp: "2026-11-29T21:46:00Z",
      source: { component: "kubelet", host: "minikube" },
    }));
  }, 300_000);

  afterAll(() => plane?.stop(), 120_000);

  it("finds the namespace, reports the Pod, the event and the pending LoadBalancer, with hints, and exits 1", () => {
    if (!plane || !kubectlBin) throw new Error("the control plane did not start (see beforeAll)");
    const r = spawnSync(process.execPath, diagnoseNodeArgs(), {
      encoding: "utf8",
      env: { PATH: `${dirname(kubectlBin)}:${dirname(process.execPath)}`, KUBECONFIG: plane.kubeconfig, HOME: plane.dir },
      timeout: 120_000,
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`todo-chatbot diagnosis: namespace "${NS}"`);
    expect(r.stdout).toMatch(new RegExp(`${POD}\\s+backend\\s+Pending\\s+0/1\\s+0\\s+ErrImageNeverPull`));
    expect(r.stdout).toContain(`Warning  ErrImageNeverPull  pod/${POD}`);
    expect(r.stdout).toContain(`ERROR [ErrImageNeverPull] pod/${POD} container backend`);
    expect(r.stdout).toContain("WARN  [LoadBalancerPending] service/todo-chatbot-frontend");
    expect(r.stdout).toMatch(/todo-chatbot-frontend\s+LoadBalancer\s+<pending>\s+80:\d+/);
  }, 150_000);
});
