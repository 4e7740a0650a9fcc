/**
 * Collects a Snapshot of the todo-chatbot namespace with kubectl (needs kubectl on PATH and a
 * reachable cluster). Runs under Node's type stripping: erasable TypeScript, type-only relative imports.
 */
import { execFileSync } from "node:child_process";
import type { KubeObject, Snapshot } from "./analyze";

export interface CollectOptions {
  /** Namespace; when absent, found from the Pods labelled app.kubernetes.io/name=todo-chatbot. */
  namespace?: string;
  /** Log lines per container. */
  tail: number;
  /** kubectl --context, when not the current one. */
  context?: string;
  /** Parses kubectl's JSON (analyze.ts's parseKubectlJson, passed in to keep this file free of value imports). */
  parse: (text: string) => KubeObject[];
}

export class DiagnoseError extends Error {}

function kubectl(args: string[], context: string | undefined): string {
  const full = context ? ["--context", context, ...args] : args;
  try {
    return execFileSync("kubectl", full, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT") {
      throw new DiagnoseError("kubectl is not on PATH. Install it (https://kubernetes.io/docs/tasks/tools/) or use `minikube kubectl --`.");
    }
    const stderr = (e.stderr ?? "").trim();
    const unreachable = /connection refused|Unable to connect|no such host|dial tcp|context deadline exceeded/i;
    if (unreachable.test(stderr)) {
      const line = stderr.split("\n").reverse().find((l) => unreachable.test(l)) ?? stderr;
      throw new DiagnoseError(
        `kubectl cannot reach the cluster: ${line.trim()}\nIs Minikube running? Try \`minikube status\` / \`minikube start\`, and check \`kubectl config current-context\`.`,
      );
    }
    throw new DiagnoseError(`kubectl ${full.join(" ")} failed: ${stderr || e.message}`);
  }
}

function findNamespace(opts: CollectOptions): string {
  const text = kubectl(
    ["get", "pods,deployments,statefulsets", "--all-namespaces", "-l", "app.kubernetes.io/name=todo-chatbot", "-o", "json"],
    opts.context,
  );
  const namespaces = [...new Set(opts.parse(text).map((o) => o.metadata.namespace).filter((n): n is string => Boolean(n)))];
  if (namespaces.length === 1 && namespaces[0]) return namespaces[0];
  if (namespaces.length === 0) {
    throw new DiagnoseError(
      "No todo-chatbot workloads (label app.kubernetes.io/name=todo-chatbot) in any namespace. Deploy with `pulumi up`, or pass --namespace <ns>.",
    );
  }
  throw new DiagnoseError(`todo-chatbot runs in several namespaces (${namespaces.join(", ")}); pass --namespace <ns>.`);
}

/** Gathers objects and logs into a Snapshot. */
export function collect(opts: CollectOptions): Snapshot {
  const namespace = opts.namespace ?? findNamespace(opts);
  const objects = opts.parse(
    kubectl(["get", "pods,services,deployments,statefulsets,persistentvolumeclaims,events", "-n", namespace, "-o", "json"], opts.context),
  );
  const logs: Record<string, string> = {};
  for (const pod of objects.filter((o) => o.kind === "Pod")) {
    const status = (pod.status ?? {}) as { containerStatuses?: { name: string; restartCount: number; state?: { running?: unknown; terminated?: unknown } }[] };
    for (const c of status.containerStatuses ?? []) {
      const base = ["logs", pod.metadata.name, "-c", c.name, "-n", namespace, `--tail=${opts.tail}`];
      if (c.state?.running || c.state?.terminated) logs[`${pod.metadata.name}/${c.name}`] = safeLogs(base, opts.context);
      if (c.restartCount > 0) logs[`${pod.metadata.name}/${c.name} (previous)`] = safeLogs([...base, "--previous"], opts.context);
    }
  }
  return { namespace, objects, logs, collectedAt: new Date().toISOString() };
}

function safeLogs(args: string[], context: string | undefined): string {
  try {
    return kubectl(args, context);
  } catch (error) {
    return `(no logs: ${(error as Error).message.split("\n")[0]})`;
  }
}
