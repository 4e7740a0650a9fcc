export {
  buildPostgresImage,
  clusterScript,
  missingCluster,
  parseEnv,
  POSTGRES_IMAGE,
  startCluster,
  type BuildOptions,
  type ClusterEnv,
  type LocalCluster,
  type StartOptions,
} from "./cluster.ts";
export {
  eventually,
  KubeApiError,
  KubeClient,
  statusMessage,
  StopWaiting,
  type KubeEvent,
  type KubeList,
  type KubeObject,
  type KubeResponse,
} from "./kube-client.ts";
export { BASE_IMAGE, missingBaseImage, restrictedNamespace, restrictedPod, type PodOptions } from "./pods.ts";
export { hostChanges, processesAndMountsUnder, snapshotHost, type HostSnapshot } from "./host-snapshot.ts";
export { startTunnel, type Tunnel } from "./tunnel.ts";
export { footprintTable, namespaceFootprint, type ContainerFootprint } from "./footprint.ts";
