/**
 * What a namespace's Pods use right now, as `kubectl top pods --containers` would show it: the kubelet's
 * summary API (`/stats/summary`, the source metrics-server reads), through the API server's node proxy.
 * Memory is the working set (what the kubelet compares with the limit); CPU is the recent average.
 */
import type { KubeClient } from "./kube-client.ts";

export interface ContainerFootprint {
  pod: string;
  container: string;
  /** working set, MiB */
  memoryMiB: number;
  /** recent CPU use, millicores */
  cpuMillicores: number;
}

interface Summary {
  pods?: {
    podRef: { name: string; namespace: string };
    containers?: { name: string; cpu?: { usageNanoCores?: number }; memory?: { workingSetBytes?: number } }[];
  }[];
}

/** The containers of `namespace`'s Pods on `nodeName`, sorted by Pod and container name. */
export async function namespaceFootprint(kube: KubeClient, nodeName: string, namespace: string): Promise<ContainerFootprint[]> {
  const summary = await kube.call<Summary>("GET", `/api/v1/nodes/${encodeURIComponent(nodeName)}/proxy/stats/summary`);
  return (summary.pods ?? [])
    .filter((pod) => pod.podRef.namespace === namespace)
    .flatMap((pod) =>
      (pod.containers ?? []).map((c) => ({
        pod: pod.podRef.name,
        container: c.name,
        memoryMiB: (c.memory?.workingSetBytes ?? 0) / 2 ** 20,
        cpuMillicores: (c.cpu?.usageNanoCores ?? 0) / 1e6,
      })),
    )
    .sort((a, b) => a.pod.localeCompare(b.pod) || a.container.localeCompare(b.container));
}

/** A Markdown table of `rows` with a total line. */
export function footprintTable(rows: ContainerFootprint[]): string {
  const lines = ["| Pod | container | memory (working set) | CPU |", "|---|---|---|---|"];
  for (const r of rows) lines.push(`| ${r.pod} | ${r.container} | ${r.memoryMiB.toFixed(1)} MiB | ${r.cpuMillicores.toFixed(1)} m |`);
  const memory = rows.reduce((sum, r) => sum + r.memoryMiB, 0);
  const cpu = rows.reduce((sum, r) => sum + r.cpuMillicores, 0);
  lines.push(`| **total** | ${rows.length} containers | ${memory.toFixed(1)} MiB | ${cpu.toFixed(1)} m |`);
  return lines.join("\n");
}
