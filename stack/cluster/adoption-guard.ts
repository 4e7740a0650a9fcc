/**
 * Refuses to take over an object that already exists in the cluster. The Kubernetes provider 4.25 creates
 * by server-side apply, an upsert (provider/pkg/await/await.go: "we currently always upsert the object";
 * 4.29 made it an AlreadyExists error, #4278): a user's own `kagent` namespace, or a `todo-chatbot`
 * namespace made with the chart README's `helm install`, was silently adopted and then deleted, with all
 * it holds, by `pulumi destroy`. A `beforeCreate` resource hook (Pulumi 3.182+) asks the cluster first,
 * only when Pulumi is about to create the object (so never for an object this stack already owns).
 */
import * as pulumi from "@pulumi/pulumi";
import { runCommand } from "./minikube-cli.ts";

/** Where to ask: the stack's kube context, and its Minikube profile when there is one (for `minikube kubectl`). */
export interface ClusterTarget {
  readonly kubeContext: string;
  readonly minikubeProfile: string | undefined;
}

/**
 * Whether a namespace exists, asked with `kubectl --context C get namespace N` (else, on Minikube, with
 * `minikube -p P kubectl --`, which needs no kubectl of the user's); an Error when neither could answer.
 */
export function namespaceExists(name: string, target: ClusterTarget): boolean | Error {
  const query = ["--context", target.kubeContext, "get", "namespace", name, "--ignore-not-found", "-o", "name"];
  const attempts: [string, string[]][] = [["kubectl", query]];
  if (target.minikubeProfile !== undefined) attempts.push(["minikube", ["-p", target.minikubeProfile, "kubectl", "--", ...query]]);
  const failures: string[] = [];
  for (const [file, args] of attempts) {
    const result = runCommand(file, args);
    if (result.status === 0) return result.stdout.trim() !== "";
    failures.push(`${file}: ${result.missing ? "not installed" : (result.stderr.trim().split("\n").pop() ?? `exit ${result.status}`)}`);
  }
  return new Error(failures.join("; "));
}

/**
 * A beforeCreate hook for a Namespace: fails the create when a namespace of that name already exists,
 * with `hint` (what to do instead). When the cluster cannot be asked it warns and lets the create go on.
 */
export function refuseToAdoptNamespace(hookName: string, target: ClusterTarget, hint: string): pulumi.ResourceHook {
  return new pulumi.ResourceHook(hookName, (args) => {
    const metadata = (args.newInputs?.metadata ?? {}) as { name?: unknown };
    const name = typeof metadata.name === "string" ? metadata.name : args.name;
    const exists = namespaceExists(name, target);
    if (exists === true) {
      throw new Error(
        `namespace "${name}" already exists in kube context "${target.kubeContext}" and this stack did not create it: ` +
          `the stack would take it over and delete it, with everything in it, on pulumi destroy. ${hint}`,
      );
    }
    if (exists instanceof Error) {
      void pulumi.log.warn(`could not check whether namespace "${name}" already exists (${exists.message}); creating it`);
    }
  });
}
