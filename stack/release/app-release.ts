import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceType } from "../config/settings.ts";
import { chartObjectTransform } from "./chart-transforms.ts";
import type { ChartValues } from "./chart-values.ts";
import { frontendEndpoint, type Endpoint, type FrontendUrlKind } from "./frontend-endpoint.ts";
import { BACKEND_WORKLOAD, FRONTEND_PORT, FRONTEND_SERVICE, FULLNAME, SECRET_CHECKSUM_ANNOTATION, SECRET_NAME } from "./names.ts";

/** Arguments of {@link AppRelease}. */
export interface AppReleaseArgs {
  /** Release namespace (created by the caller, labelled for Pod Security "restricted"; list it in waitFor). */
  readonly namespace: string;
  /** Path of the chart directory, relative to the project directory ("./apps/chart"). */
  readonly chartPath: string;
  /**
   * The chart values (see chart-values.ts; the chart contract fixes their names). Plain, not Inputs:
   * helm.v4.Chart renders nothing in a preview while an input is unknown.
   */
  readonly values: ChartValues;
  /**
   * The checksum of the app's Secret (AppSecrets.checksum, an HMAC: it reveals nothing), set as a Pod
   * annotation on the backend so that a changed Secret rolls it.
   */
  readonly secretChecksum: pulumi.Input<string>;
  /** Seconds each awaited object (workloads, Services, ...) may take to become ready before `pulumi up` fails. */
  readonly rolloutTimeoutSeconds: number;
  /** Resources the release must wait for (the namespace, the images, the Secret). */
  readonly waitFor: pulumi.Input<pulumi.Input<pulumi.Resource>[]>;
  /** The frontend Service type (decides how the URL is found). */
  readonly serviceType: ServiceType;
  /** Kube context, for the port-forward command. */
  readonly kubeContext: string;
  /** Node address NodePort URLs are built on ("" = unknown). */
  readonly nodeAddress: string;
  /** false when this machine cannot route to the node (see ClusterEnvironment's resolved.nodeReachable). */
  readonly nodeReachable: boolean;
  /** Minikube profile, when on Minikube (for the `minikube tunnel` / `minikube service` commands). */
  readonly minikubeProfile: string | undefined;
  /** false when the provider only renders YAML: there is no live Service to read the URL from. */
  readonly liveCluster: boolean;
}

/** An Output that stays unknown in a preview (the live Service is only read during an update). */
function unknownInPreview<T>(): pulumi.Output<T> {
  return pulumi.output(pulumi.unknown).apply(() => {
    throw new Error("unreachable: an unknown output is never applied");
  });
}

/**
 * The Helm release of the app: the chart from apps/chart rendered by `helm.v4.Chart` into one Pulumi resource per object
 * (each awaited with a bounded timeout, the LoadBalancer Service not awaited; hooks and the
 * `helm test` Pod are left out by the Chart resource), then the frontend URL read from the live Service.
 */
export class AppRelease extends pulumi.ComponentResource {
  public readonly chart: kubernetes.helm.v4.Chart;
  /** The chart's fullname, the prefix of every object name (plain: known before anything is created). */
  public readonly fullname: string = FULLNAME;
  /** The Secret the chart reads as `existingSecret` (made by AppSecrets). */
  public readonly secretName: string = SECRET_NAME;
  public readonly frontendUrl: pulumi.Output<string>;
  public readonly frontendUrlKind: pulumi.Output<FrontendUrlKind>;
  /** a command that reaches the app from this machine */
  public readonly reachCommand: pulumi.Output<string>;

  constructor(name: string, args: AppReleaseArgs, opts?: pulumi.ComponentResourceOptions) {
    // the alias keeps the URNs of stacks deployed while this class was called Chatbot (no replacement)
    super("todo-chatbot:index:AppRelease", name, {}, pulumi.mergeOptions(opts, { aliases: [{ type: "todo-chatbot:index:Chatbot" }] }));
    this.chart = new kubernetes.helm.v4.Chart(
      name,
      {
        chart: args.chartPath,
        name: FULLNAME,
        namespace: args.namespace,
        values: args.values,
      },
      {
        parent: this,
        dependsOn: args.waitFor,
        transforms: [
          chartObjectTransform({
            timeoutSeconds: args.rolloutTimeoutSeconds,
            podAnnotations: { [BACKEND_WORKLOAD]: { [SECRET_CHECKSUM_ANNOTATION]: args.secretChecksum } },
          }),
        ],
      },
    );

    let endpoint: pulumi.Output<Endpoint>;
    if (!args.liveCluster) {
      endpoint = pulumi.output(
        frontendEndpoint({
          serviceType: args.serviceType,
          serviceName: FRONTEND_SERVICE,
          namespace: args.namespace,
          kubeContext: args.kubeContext,
          port: FRONTEND_PORT,
          nodePort: undefined,
          ingress: undefined,
          nodeAddress: args.nodeAddress,
          nodeReachable: args.nodeReachable,
          minikubeProfile: args.minikubeProfile,
        }),
      );
    } else if (pulumi.runtime.isDryRun()) {
      endpoint = unknownInPreview<Endpoint>();
    } else {
      const service = kubernetes.core.v1.Service.get(
        `${name}-frontend-service`,
        `${args.namespace}/${FRONTEND_SERVICE}`,
        { parent: this, dependsOn: [this.chart] },
      );
      const namespace = args.namespace;
      endpoint = pulumi.all([service.spec, service.status]).apply(([spec, status]) => {
        const port = spec.ports.find((p) => p.name === "http") ?? spec.ports[0];
        const ingress = status.loadBalancer?.ingress?.[0];
        return frontendEndpoint({
          serviceType: args.serviceType,
          serviceName: FRONTEND_SERVICE,
          namespace,
          kubeContext: args.kubeContext,
          port: port?.port ?? 80,
          nodePort: port?.nodePort,
          ingress: ingress?.ip || ingress?.hostname || undefined,
          nodeAddress: args.nodeAddress,
          nodeReachable: args.nodeReachable,
          minikubeProfile: args.minikubeProfile,
        });
      });
    }
    this.frontendUrl = endpoint.apply((e) => e.url);
    this.frontendUrlKind = endpoint.apply((e) => e.kind);
    this.reachCommand = endpoint.apply((e) => e.command);
    this.registerOutputs({ frontendUrl: this.frontendUrl, frontendUrlKind: this.frontendUrlKind });
  }
}
