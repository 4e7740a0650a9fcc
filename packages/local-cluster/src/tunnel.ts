import { execFileSync } from "node:child_process";
import type { KubeClient, KubeObject } from "./kube-client.ts";

interface Service extends KubeObject {
  spec: { type?: string; clusterIP?: string };
  status?: { loadBalancer?: { ingress?: { ip?: string }[] } };
}

export interface Tunnel {
  /** LoadBalancer Services given an address so far, as namespace/name */
  readonly assigned: ReadonlySet<string>;
  stop(): Promise<void>;
}

/**
 * What `minikube tunnel` does (minikube's pkg/minikube/tunnel): a host route to the Service network via
 * the node, and every LoadBalancer Service's status.loadBalancer.ingress set to its ClusterIP, so a
 * LoadBalancer answers from this machine at that address and `helm install --wait` (which waits for a
 * LoadBalancer's address) returns. The route goes away with the node's veth pair at `stop`, if not before.
 */
export function startTunnel(kube: KubeClient, options: { nodeIp: string; hostInterface: string; serviceCidr?: string }): Tunnel {
  const cidr = options.serviceCidr ?? "10.96.0.0/12";
  execFileSync("ip", ["route", "replace", cidr, "via", options.nodeIp, "dev", options.hostInterface]);
  const assigned = new Set<string>();
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const services = await kube.list<Service>("/api/v1/services");
        for (const service of services) {
          const ip = service.spec.clusterIP;
          if (service.spec.type !== "LoadBalancer" || !ip || ip === "None") continue;
          if (service.status?.loadBalancer?.ingress?.some((entry) => entry.ip === ip)) continue;
          const path = `/api/v1/namespaces/${service.metadata.namespace}/services/${service.metadata.name}/status`;
          const patch = await kube.send("PATCH", path, { status: { loadBalancer: { ingress: [{ ip }] } } }, "application/merge-patch+json");
          if (patch.status === 200) assigned.add(`${service.metadata.namespace}/${service.metadata.name}`);
        }
      } catch {
        // the API server is busy or stopping: try again on the next round
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  })();
  return {
    assigned,
    async stop() {
      running = false;
      await loop;
      try {
        execFileSync("ip", ["route", "del", cidr, "via", options.nodeIp, "dev", options.hostInterface], { stdio: "ignore" });
      } catch {
        // already gone with the node's veth pair
      }
    },
  };
}
