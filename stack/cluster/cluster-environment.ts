import * as docker from "@pulumi/docker";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterSettings } from "../config/settings.ts";
import { refuseToAdoptNamespace } from "./adoption-guard.ts";
import { readDaemonIdentity } from "./docker-daemon.ts";
import { hostOf, minikubeDockerEnv, minikubeIp, minikubeProfile, requireDockerRuntime, type DockerEnv } from "./minikube-cli.ts";

/**
 * Arguments of {@link ClusterEnvironment}: the cluster slice of the stack's settings, as loadStackConfig
 * returns it. Plain values, not Inputs: they are resolved while the program starts (by asking `minikube`),
 * before any resource exists.
 */
export type ClusterEnvironmentArgs = ClusterSettings;

/** The daemon and node address as resolved (pure data, for tests and the summary). */
export interface ResolvedEnvironment {
  readonly dockerHost: string;
  readonly dockerCertPath: string;
  readonly kubeContext: string;
  readonly nodeAddress: string;
  /**
   * false on Minikube's docker driver on macOS, Windows and WSL: docker-env's host is a forwarded
   * 127.0.0.1 port, and the node's own address (`minikube ip`) cannot be routed to from this machine
   * (minikube itself reaches it over SSH for `minikube service --url`). A configured nodeAddress is trusted.
   */
  readonly nodeReachable: boolean;
  /** where the daemon came from */
  readonly source: "minikube docker-env" | "config dockerHost" | "local DOCKER_HOST";
}

/** Resolves daemon, context and node address from config and, on Minikube, from the `minikube` CLI. */
export function resolveEnvironment(args: ClusterEnvironmentArgs): ResolvedEnvironment {
  const kubeContext = args.kubeContext !== "" ? args.kubeContext : args.minikubeProfile;
  if (args.dockerHost !== "") {
    const nodeAddress =
      args.nodeAddress !== "" ? args.nodeAddress : args.mode === "minikube" ? minikubeIp(args.minikubeProfile) : "";
    return {
      dockerHost: args.dockerHost,
      dockerCertPath: args.dockerCertPath,
      kubeContext,
      nodeAddress,
      nodeReachable: true,
      source: "config dockerHost",
    };
  }
  if (args.mode === "registry") {
    return { dockerHost: "", dockerCertPath: "", kubeContext, nodeAddress: args.nodeAddress, nodeReachable: true, source: "local DOCKER_HOST" };
  }
  const profile = minikubeProfile(args.minikubeProfile);
  if (profile) requireDockerRuntime(profile);
  const env: DockerEnv = minikubeDockerEnv(args.minikubeProfile);
  const fromHost = hostOf(env.host);
  const loopback = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(fromHost);
  // on a loopback host `minikube ip` names an address this machine cannot reach: it is not asked for
  const nodeReachable = args.nodeAddress !== "" || !loopback;
  const nodeAddress =
    args.nodeAddress !== "" ? args.nodeAddress : loopback ? "" : fromHost !== "" ? fromHost : minikubeIp(args.minikubeProfile);
  return {
    dockerHost: env.host,
    dockerCertPath: env.tlsVerify ? env.certPath : "",
    kubeContext,
    nodeAddress,
    nodeReachable,
    source: "minikube docker-env",
  };
}

/**
 * Where the stack builds and deploys: a Docker provider on Minikube's daemon (from `minikube docker-env`,
 * or the configured daemon) and a Kubernetes provider pinned to one kube context, so that switching the
 * current context elsewhere never redirects this stack.
 */
export class ClusterEnvironment extends pulumi.ComponentResource {
  /** builds the images (on Minikube's daemon by default) */
  public readonly dockerProvider: docker.Provider;
  /** every Kubernetes object of the stack goes through this provider */
  public readonly kubernetesProvider: kubernetes.Provider;
  public readonly resolved: ResolvedEnvironment;
  /**
   * The identity of the daemon the images are built into when they stay there (Minikube mode; see
   * docker-daemon.ts), for the images' `replacementTrigger`: a new daemon rebuilds them. null in registry
   * mode (the cluster pulls from the registry) and when it cannot be read (a warning says so; the Docker
   * provider then reports an unreachable daemon itself).
   */
  public readonly daemonIdentity: pulumi.Output<string | null>;
  private readonly liveCluster: boolean;
  private readonly minikubeProfile: string | undefined;

  constructor(name: string, args: ClusterEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("todo-chatbot:index:ClusterEnvironment", name, {}, opts);
    try {
      this.resolved = resolveEnvironment(args);
    } catch (error) {
      throw new pulumi.RunError(error instanceof Error ? error.message : String(error));
    }
    const { dockerHost, dockerCertPath, kubeContext } = this.resolved;
    this.liveCluster = !args.renderYamlToDirectory;
    this.minikubeProfile = args.mode === "minikube" ? args.minikubeProfile : undefined;
    this.dockerProvider = new docker.Provider(
      `${name}-docker`,
      {
        ...(dockerHost !== "" ? { host: dockerHost } : {}),
        ...(dockerCertPath !== "" ? { certPath: dockerCertPath } : {}),
      },
      { parent: this },
    );
    this.daemonIdentity =
      args.mode === "minikube"
        ? pulumi.output(
            readDaemonIdentity(dockerHost, dockerCertPath).then((identity) => {
              if (typeof identity === "string") return identity;
              void pulumi.log.warn(
                `could not read the identity of the Docker daemon at ${dockerHost} (${identity.message}), so the images ` +
                  "are not tied to it: if that daemon is replaced (minikube delete + start, another profile), force a rebuild " +
                  "with: pulumi up --replace <URN of each docker:index/image:Image> (pulumi stack --show-urns lists them)",
                this,
              );
              return null;
            }),
          )
        : pulumi.output(null);
    this.kubernetesProvider = new kubernetes.Provider(
      `${name}-kubernetes`,
      {
        // kubeconfig "" on purpose: left out, @pulumi/kubernetes 4.25 fills it from $KUBECONFIG, which the
        // provider then refuses next to renderYamlToDirectory and cannot parse when it lists several files
        // ("a:b" is neither a path nor YAML; fixed upstream in 4.32.0, #4406). Empty, the provider loads the
        // kubeconfig by client-go's default loading rules, as kubectl does: $KUBECONFIG's files merged, else
        // ~/.kube/config.
        kubeconfig: "",
        // A changed Secret or ConfigMap is updated in place instead of deleted and re-created (the provider's
        // default replaces them, so the Pods see a moment without them): the checksum annotations on the Pod
        // templates roll the Pods that read them.
        enableSecretMutable: true,
        enableConfigMapMutable: true,
        // The provider refuses `context` together with renderYamlToDirectory (nothing is applied then).
        ...(args.renderYamlToDirectory ? { renderYamlToDirectory: args.renderYamlToDirectory } : { context: kubeContext }),
      },
      { parent: this },
    );
    this.registerOutputs({
      dockerHost,
      kubeContext,
      nodeAddress: this.resolved.nodeAddress,
    });
  }

  /**
   * A hook that refuses to create a namespace that already exists in this cluster (see adoption-guard.ts),
   * with `hint` saying what to do instead; undefined when only YAML is rendered (no cluster to ask).
   */
  refuseToAdopt(hookName: string, hint: string): pulumi.ResourceHook | undefined {
    if (!this.liveCluster) return undefined;
    return refuseToAdoptNamespace(hookName, { kubeContext: this.resolved.kubeContext, minikubeProfile: this.minikubeProfile }, hint);
  }
}
