// One control plane (etcd + kube-apiserver + kube-controller-manager + kube-scheduler, no kubelet) for the
// whole suite: starting it costs tens of seconds on two cores, so the groups of tests share it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { missingHelm, suiteGate, takeTurnsOnHost } from "@todo/testkit";
import { describeChartAdmission } from "./chart-admission.js";
import { describeKagentResources } from "./kagent-resources.js";
import { KubeClient, missingCluster, startCluster, type LocalCluster } from "@todo/local-cluster";

const gate = suiteGate(
  "control-plane (kube-apiserver)",
  missingCluster("control-plane") ?? missingHelm(),
);

describe.skipIf(!gate.ok)("a real Kubernetes control plane", () => {
  takeTurnsOnHost(); // one suite at a time changes the host (packages/testkit/src/machine-lock.ts)
  let plane: LocalCluster | undefined;
  let kube: KubeClient | undefined;
  const cluster = () => {
    if (!plane || !kube) throw new Error("the control plane did not start (see beforeAll)");
    return { kube, kubeconfig: plane.kubeconfig };
  };

  beforeAll(() => {
    plane = startCluster("control-plane");
    kube = new KubeClient(plane.kubeconfig);
    process.stderr.write(`[control-plane] started in ${plane.startSeconds.toFixed(1)} s (${plane.dir})\n`);
  }, 300_000);

  afterAll(() => plane?.stop(), 120_000);

  it("answers /readyz and /version as the pinned Kubernetes release", async () => {
    const { kube } = cluster();
    const ready = await kube.send("GET", "/readyz");
    expect(ready.status).toBe(200);
    const version = await kube.call<{ gitVersion: string }>("GET", "/version");
    expect(version.gitVersion).toBe("v1.34.2");
  });

  describeChartAdmission(cluster);
  describeKagentResources(cluster);
});
