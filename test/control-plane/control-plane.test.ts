// One control plane (etcd + kube-apiserver + kube-controller-manager + kube-scheduler, no kubelet) for the
// whole suite: starting it costs tens of seconds on two cores, so the groups of tests share it.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ephemeralPortRange, missingHelm, suiteGate, takeTurnsOnHost } from "@todo/testkit";
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

  it("listens on loopback ports below the kernel's ephemeral range, which no client connection can take first", () => {
    if (!plane) throw new Error("the control plane did not start (see beforeAll)");
    const { low } = ephemeralPortRange();
    const runDir = join(plane.dir, "run");
    const pids = readdirSync(runDir)
      .filter((name) => name.endsWith(".pid"))
      .map((name) => readFileSync(join(runDir, name), "utf8").trim());
    const sockets = execFileSync("ss", ["-Htlnp"], { encoding: "utf8" });
    const listening = sockets
      .split("\n")
      .filter((line) => pids.some((pid) => line.includes(`pid=${pid},`)))
      .map((line) => line.split(/\s+/)[3] ?? "");
    // etcd (client, peer), API server, controller manager, scheduler
    expect(listening.length, `pids ${pids.join(" ")} in:\n${sockets}`).toBeGreaterThanOrEqual(5);
    for (const address of listening) {
      expect(address, `${address}: every control-plane port is on loopback, below ${low}`).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(Number(address.split(":").pop()), address).toBeLessThan(low);
    }
  });

  describeChartAdmission(cluster);
  describeKagentResources(cluster);
});
