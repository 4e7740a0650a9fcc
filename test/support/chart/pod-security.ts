/**
 * The Kubernetes Pod Security Standards, "restricted" profile (which includes "baseline"), written from
 * the standard's list of controls (https://kubernetes.io/docs/concepts/security/pod-security-standards/),
 * as checks on a Pod spec. Each problem names the control and the field.
 */
import type { IPodSpec } from "kubernetes-models/v1/PodSpec" with { "resolution-mode": "import" };
import type { IContainer } from "kubernetes-models/v1/Container" with { "resolution-mode": "import" };
import type { ISecurityContext } from "kubernetes-models/v1/SecurityContext" with { "resolution-mode": "import" };

// Baseline "Capabilities": what a container may add.
const baselineCapabilities = new Set([
  "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE",
  "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
]);
// Baseline "Sysctls": the safe set.
const safeSysctls = new Set([
  "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
]);
// Baseline "SELinux": allowed types.
const selinuxTypes = new Set(["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"]);
// Restricted "Volume Types": allowed volume sources.
const restrictedVolumeSources = new Set([
  "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret",
]);

interface NamedContainer {
  where: string;
  container: IContainer;
}

function allContainers(spec: IPodSpec): NamedContainer[] {
  return [
    ...(spec.initContainers ?? []).map((container) => ({ where: `initContainers[${container.name}]`, container })),
    ...(spec.containers ?? []).map((container) => ({ where: `containers[${container.name}]`, container })),
    ...(spec.ephemeralContainers ?? []).map((container) => ({ where: `ephemeralContainers[${container.name}]`, container: container as IContainer })),
  ];
}

function seccompAllowed(type: string | undefined): boolean {
  return type === "RuntimeDefault" || type === "Localhost";
}

/** Problems of the "baseline" profile. */
export function baselineProblems(spec: IPodSpec): string[] {
  const problems: string[] = [];
  const pod = spec.securityContext;
  if (spec.hostNetwork || spec.hostPID || spec.hostIPC) problems.push("Host Namespaces: hostNetwork/hostPID/hostIPC must be unset or false");
  if (pod?.windowsOptions?.hostProcess) problems.push("HostProcess: securityContext.windowsOptions.hostProcess must be false");
  for (const volume of spec.volumes ?? []) {
    if (volume.hostPath) problems.push(`HostPath Volumes: volume ${volume.name} is a hostPath`);
  }
  const seLinuxOk = (options: ISecurityContext["seLinuxOptions"], where: string): void => {
    if (!options) return;
    if (!selinuxTypes.has(options.type ?? "")) problems.push(`SELinux: ${where}.seLinuxOptions.type ${options.type ?? ""} is not allowed`);
    if (options.user || options.role) problems.push(`SELinux: ${where}.seLinuxOptions.user/role must be unset`);
  };
  seLinuxOk(pod?.seLinuxOptions, "securityContext");
  if (pod?.seccompProfile?.type === "Unconfined") problems.push("Seccomp: securityContext.seccompProfile.type must not be Unconfined");
  if (pod?.appArmorProfile?.type === "Unconfined") problems.push("AppArmor: securityContext.appArmorProfile.type must not be Unconfined");
  for (const sysctl of pod?.sysctls ?? []) {
    if (!safeSysctls.has(sysctl.name)) problems.push(`Sysctls: ${sysctl.name} is not in the safe set`);
  }
  for (const { where, container } of allContainers(spec)) {
    const context = container.securityContext;
    if (context?.windowsOptions?.hostProcess) problems.push(`HostProcess: ${where}.securityContext.windowsOptions.hostProcess must be false`);
    if (context?.privileged) problems.push(`Privileged Containers: ${where}.securityContext.privileged must be false`);
    for (const capability of context?.capabilities?.add ?? []) {
      if (!baselineCapabilities.has(capability)) problems.push(`Capabilities: ${where} adds ${capability}`);
    }
    for (const port of container.ports ?? []) {
      if (port.hostPort) problems.push(`HostPorts: ${where} port ${port.containerPort} has hostPort ${port.hostPort}`);
    }
    seLinuxOk(context?.seLinuxOptions, `${where}.securityContext`);
    if (context?.procMount && context.procMount !== "Default") problems.push(`/proc Mount Type: ${where}.securityContext.procMount must be Default`);
    if (context?.seccompProfile?.type === "Unconfined") problems.push(`Seccomp: ${where}.securityContext.seccompProfile.type must not be Unconfined`);
    if (context?.appArmorProfile?.type === "Unconfined") problems.push(`AppArmor: ${where}.securityContext.appArmorProfile.type must not be Unconfined`);
  }
  return problems;
}

/** Problems of the "restricted" profile (baseline included). */
export function restrictedProblems(spec: IPodSpec): string[] {
  const problems = baselineProblems(spec);
  const pod = spec.securityContext;
  for (const volume of spec.volumes ?? []) {
    const sources = Object.keys(volume).filter((key) => key !== "name");
    for (const source of sources) {
      if (!restrictedVolumeSources.has(source)) problems.push(`Volume Types: volume ${volume.name} uses ${source}`);
    }
  }
  if (pod?.runAsUser === 0) problems.push("Running as Non-root user: securityContext.runAsUser must not be 0");
  for (const { where, container } of allContainers(spec)) {
    const context = container.securityContext;
    if (context?.allowPrivilegeEscalation !== false) {
      problems.push(`Privilege Escalation: ${where}.securityContext.allowPrivilegeEscalation must be false`);
    }
    if (context?.runAsNonRoot !== true && !(pod?.runAsNonRoot === true && context?.runAsNonRoot === undefined)) {
      problems.push(`Running as Non-root: ${where} must run with runAsNonRoot true (pod or container)`);
    }
    if (context?.runAsUser === 0) problems.push(`Running as Non-root user: ${where}.securityContext.runAsUser must not be 0`);
    const seccomp = context?.seccompProfile?.type ?? pod?.seccompProfile?.type;
    if (!seccompAllowed(seccomp)) {
      problems.push(`Seccomp: ${where} needs seccompProfile.type RuntimeDefault or Localhost (pod or container)`);
    }
    const capabilities = context?.capabilities;
    if (!(capabilities?.drop ?? []).includes("ALL")) problems.push(`Capabilities: ${where} must drop ALL`);
    for (const capability of capabilities?.add ?? []) {
      if (capability !== "NET_BIND_SERVICE") problems.push(`Capabilities: ${where} may add only NET_BIND_SERVICE, adds ${capability}`);
    }
  }
  return problems;
}

/**
 * The chart's own hardening on top of "restricted" (the list): numeric non-root user and group,
 * fsGroup, read-only root filesystem, /tmp an emptyDir, no service account token, requests and limits.
 */
export function hardeningProblems(spec: IPodSpec): string[] {
  const problems: string[] = [];
  const pod = spec.securityContext;
  if (typeof pod?.runAsUser !== "number" || pod.runAsUser === 0) problems.push("securityContext.runAsUser must be a non-zero number");
  if (typeof pod?.runAsGroup !== "number" || pod.runAsGroup === 0) problems.push("securityContext.runAsGroup must be a non-zero number");
  if (typeof pod?.fsGroup !== "number") problems.push("securityContext.fsGroup must be a number");
  if (spec.automountServiceAccountToken !== false) problems.push("automountServiceAccountToken must be false");
  const emptyDirs = new Set((spec.volumes ?? []).filter((volume) => volume.emptyDir).map((volume) => volume.name));
  for (const { where, container } of allContainers(spec)) {
    if (container.securityContext?.readOnlyRootFilesystem !== true) problems.push(`${where}.securityContext.readOnlyRootFilesystem must be true`);
    const tmp = (container.volumeMounts ?? []).find((mount) => mount.mountPath === "/tmp");
    if (!tmp || !emptyDirs.has(tmp.name)) problems.push(`${where} must mount an emptyDir at /tmp`);
    for (const kind of ["requests", "limits"] as const) {
      for (const resource of ["cpu", "memory"]) {
        if (container.resources?.[kind]?.[resource] === undefined) problems.push(`${where}.resources.${kind}.${resource} is missing`);
      }
    }
  }
  return problems;
}
