/**
 * Pulumi transforms applied to the objects `helm.v4.Chart` renders. Pure functions over
 * {@link pulumi.ResourceTransformArgs}, so they are tested without a cluster.
 */
import type * as pulumi from "@pulumi/pulumi";

/** Workloads: Pulumi awaits their Pods; the Secret checksum goes on their Pod template. */
export const WORKLOAD_TYPES = new Set([
  "kubernetes:apps/v1:Deployment",
  "kubernetes:apps/v1:StatefulSet",
  "kubernetes:apps/v1:DaemonSet",
  "kubernetes:batch/v1:Job",
]);

/**
 * Every kind the Kubernetes provider (4.x, provider/pkg/await) waits for before it calls an object
 * ready, each 10 minutes by default: the workloads, and the objects whose readiness depends on others
 * (a Service on its endpoints, an Ingress on its Services, a PersistentVolumeClaim on being bound).
 */
export const AWAITED_TYPES = new Set([
  ...WORKLOAD_TYPES,
  "kubernetes:apps/v1:ReplicaSet",
  "kubernetes:core/v1:Pod",
  "kubernetes:core/v1:ReplicationController",
  "kubernetes:core/v1:Service",
  "kubernetes:core/v1:PersistentVolumeClaim",
  "kubernetes:networking.k8s.io/v1:Ingress",
]);

type Props = Record<string, unknown>;

function isRecord(value: unknown): value is Props {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A copy of an object's metadata with extra annotations (existing ones are kept). */
function annotate(object: Props, extra: Record<string, pulumi.Input<string>>): Props {
  const metadata = isRecord(object.metadata) ? object.metadata : {};
  const annotations = isRecord(metadata.annotations) ? metadata.annotations : {};
  return { ...object, metadata: { ...metadata, annotations: { ...annotations, ...extra } } };
}

/** A copy of `props` with extra metadata.annotations. */
export function withAnnotations(props: Props, extra: Record<string, pulumi.Input<string>>): Props {
  return annotate(props, extra);
}

/** A copy of a workload's `props` with extra annotations on its Pod template. */
export function withPodAnnotations(props: Props, extra: Record<string, pulumi.Input<string>>): Props {
  const spec = isRecord(props.spec) ? props.spec : {};
  const template = isRecord(spec.template) ? spec.template : {};
  return { ...props, spec: { ...spec, template: annotate(template, extra) } };
}

function objectName(props: Props): string | undefined {
  const metadata = isRecord(props.metadata) ? props.metadata : {};
  return typeof metadata.name === "string" ? metadata.name : undefined;
}

export interface ChartTransformOptions {
  /** `pulumi.com/timeoutSeconds` of every awaited object */
  readonly timeoutSeconds: number;
  /**
   * Extra Pod-template annotations per workload name, e.g. the Secret's checksum on the backend. They
   * may be Outputs: unlike chart values, an unknown one does not stop the preview from rendering the chart.
   */
  readonly podAnnotations?: Readonly<Record<string, Record<string, pulumi.Input<string>>>>;
}

/**
 * The provider's per-object "force the server-side apply" annotation (provider/pkg/metadata, AnnotationPatchForce;
 * 4.25 has no provider-wide enablePatchForce, that came in 4.29).
 */
export const PATCH_FORCE = "pulumi.com/patchForce";

/**
 * Marks every chart object `pulumi.com/patchForce` (the stack's values win a server-side-apply conflict); gives every awaited object (AWAITED_TYPES) `pulumi.com/timeoutSeconds`, so `pulumi up` fails after that
 * long with the object's status (e.g. ErrImageNeverPull, a Service without ready endpoints) instead of
 * waiting the provider's default 10 minutes; adds the configured Pod annotations to workloads; and marks a
 * LoadBalancer Service `pulumi.com/skipAwait`, so the update never hangs on an address Minikube cannot
 * assign without `minikube tunnel` (the chart values set it too; this catches any other).
 */
export function chartObjectTransform(options: ChartTransformOptions): pulumi.ResourceTransform {
  return (args) => {
    if (!args.custom) return undefined;
    // Pulumi wins over a change made behind its back (e.g. an approved kagent scale, see aiopsWriteTools): without
    // force the next update that touches the object fails with a server-side-apply conflict on the field.
    let props = withAnnotations(args.props, { [PATCH_FORCE]: "true" });
    if (!AWAITED_TYPES.has(args.type)) return { props, opts: args.opts };
    props = withAnnotations(props, { "pulumi.com/timeoutSeconds": String(options.timeoutSeconds) });
    if (WORKLOAD_TYPES.has(args.type) && args.type !== "kubernetes:batch/v1:Job") {
      const name = objectName(args.props);
      const extra = name !== undefined ? options.podAnnotations?.[name] : undefined;
      if (extra !== undefined) props = withPodAnnotations(props, extra);
    }
    if (args.type === "kubernetes:core/v1:Service") {
      const spec = isRecord(args.props.spec) ? args.props.spec : {};
      if (spec.type === "LoadBalancer") props = withAnnotations(props, { "pulumi.com/skipAwait": "true" });
    }
    return { props, opts: args.opts };
  };
}
