import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** Arguments of {@link AppNamespace}. */
export interface AppNamespaceArgs {
  /** Namespace name (a DNS label). */
  readonly name: pulumi.Input<string>;
  /** Refuses to adopt a namespace that already exists (ClusterEnvironment.refuseToAdopt); absent when rendering YAML. */
  readonly refuseExisting?: pulumi.ResourceHook;
}

/** Pod Security Admission labels: every Pod in the namespace must meet the "restricted" standard. */
export const POD_SECURITY_LABELS: Readonly<Record<string, string>> = {
  "pod-security.kubernetes.io/enforce": "restricted",
  "pod-security.kubernetes.io/enforce-version": "latest",
  "pod-security.kubernetes.io/audit": "restricted",
  "pod-security.kubernetes.io/warn": "restricted",
};

/** The release namespace, where Kubernetes enforces Pod Security "restricted". */
export class AppNamespace extends pulumi.ComponentResource {
  public readonly name: pulumi.Output<string>;
  public readonly namespace: kubernetes.core.v1.Namespace;

  constructor(name: string, args: AppNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("todo-chatbot:index:AppNamespace", name, {}, opts);
    this.namespace = new kubernetes.core.v1.Namespace(
      name,
      {
        metadata: {
          name: args.name,
          labels: { ...POD_SECURITY_LABELS, "app.kubernetes.io/part-of": "todo-chatbot" },
        },
      },
      { parent: this, ...(args.refuseExisting ? { hooks: { beforeCreate: [args.refuseExisting] } } : {}) },
    );
    this.name = this.namespace.metadata.name;
    this.registerOutputs({ name: this.name });
  }
}
