/**
 * Pulumi transforms applied to the objects `helm.v4.Chart` renders. Pure functions over
 * {@link pulumi.ResourceTransformArgs}, so they are tested without a cluster.
 */
import type * as pulumi from "@pulumi/pulumi";

/** Kinds Pulumi awaits until their Pods are ready: they get a bounded timeout. */
export const WORKLOAD_TYPES = new Set([
  "kubernetes:apps/v1:Deployment",
  "kubernetes:apps/v1:StatefulSet",
  "kubernetes:apps/v1:DaemonSet",
  "kubernetes:batch/v1:Job",
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
  /** `pulumi.com/timeoutSeconds` of every workload */
  readonly timeoutSeconds: number;
  /**
   * Extra Pod-template annotations per workload name, e.g. the Secret's checksum on the backend. They
   * may be Outputs: unlike chart values, an unknown one does not stop the preview from rendering the chart.
   */
  readonly podAnnotations?: Readonly<Record<string, Record<string, pulumi.Input<string>>>>;
}

/**
 * Gives every workload `pulumi.com/timeoutSeconds`, so `pulumi up` fails after that long with the Pods'
 * status (e.g. ErrImageNeverPull) instead of waiting the default 10 minutes; adds the configured Pod
 * annotations; and marks a LoadBalancer Service `pulumi.com/skipAwait`, so the update never hangs on an
 * address Minikube cannot assign without `minikube tunnel` (the chart values set it too; this catches any other).
 */
export function chartObjectTransform(options: ChartTransformOptions): pulumi.ResourceTransform {
  return (args) => {
    if (!args.custom) return undefined;
    if (WORKLOAD_TYPES.has(args.type)) {
      let props = withAnnotations(args.props, { "pulumi.com/timeoutSeconds": String(options.timeoutSeconds) });
      const name = objectName(args.props);
      const extra = name !== undefined ? options.podAnnotations?.[name] : undefined;
      if (extra !== undefined && args.type !== "kubernetes:batch/v1:Job") props = withPodAnnotations(props, extra);
      return { props, opts: args.opts };
    }
    if (args.type === "kubernetes:core/v1:Service") {
      const spec = isRecord(args.props.spec) ? args.props.spec : {};
      if (spec.type === "LoadBalancer") {
        return { props: withAnnotations(args.props, { "pulumi.com/skipAwait": "true" }), opts: args.opts };
      }
    }
    return undefined;
  };
}
