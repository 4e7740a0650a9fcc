import { BASE_IMAGE, type LocalCluster } from "@todo/local-cluster";

/**
 * The stack config of a Minikube user, for a local cluster: what `minikube docker-env`, `minikube ip` and
 * the profile's context would give, plus the local Node base, host-network RUN steps (the node's daemon
 * has no bridge) and the PostgreSQL stand-in. Shared by the live suite and `npm run bench:deploy`.
 */
export function minikubeSettings(cluster: LocalCluster, postgresqlImage: string): Record<string, string> {
  return {
    dockerHost: cluster.env.DOCKER_HOST ?? "",
    kubeContext: cluster.env.KUBE_CONTEXT,
    nodeAddress: cluster.env.NODE_IP ?? "",
    nodeImage: BASE_IMAGE,
    builder: "classic",
    buildNetwork: "host",
    postgresqlImage,
  };
}
