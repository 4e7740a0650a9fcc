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

/** A copy of `props` with extra metadata.annotations (existing annotations are kept). */
export function withAnnotations(props: Props, extra: Record<string, string>): Props {
  const metadata = isRecord(props.metadata) ? props.metadata : {};
  const annotations = isRecord(metadata.annotations) ? metadata.annotations : {};
  return { ...props, metadata: { ...metadata, annotations: { ...annotations, ...extra } } };
}

/**
 * Gives every workload `pulumi.com/timeoutSeconds`, so `pulumi up` fails after that long with the Pods'
 * status (e.g. ErrImageNeverPull) instead of waiting the default 10 minutes; and marks a LoadBalancer
 * Service `pulumi.com/skipAwait`, so the update never hangs on an address Minikube cannot assign
 * without `minikube tunnel` (the chart values set that annotation too; this catches any other).
 */
export function chartObjectTransform(timeoutSeconds: number): pulumi.ResourceTransform {
  return (args) => {
    if (!args.custom) return undefined;
    if (WORKLOAD_TYPES.has(args.type)) {
      return { props: withAnnotations(args.props, { "pulumi.com/timeoutSeconds": String(timeoutSeconds) }), opts: args.opts };
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
