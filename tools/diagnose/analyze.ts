/**
 * The non-AI diagnosis of a todo-chatbot namespace: reads what `kubectl get ... -o json` and
 * `kubectl logs` returned and turns it into a readable report with a hint per known failure.
 * Pure (no I/O), so it is tested on recorded fixtures (test/fixtures/diagnose/).
 * Runs under Node's type stripping: erasable TypeScript only, no relative value imports.
 */

export interface KubeMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  creationTimestamp?: string;
}

export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; message?: string; exitCode?: number; finishedAt?: string };
}

export interface ContainerStatus {
  name: string;
  image: string;
  ready: boolean;
  restartCount: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: KubeMeta;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  // Event fields (core/v1 Event)
  involvedObject?: { kind?: string; name?: string; namespace?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
}

/** What was collected from the cluster: one `kubectl get <kinds> -o json` List and the logs. */
export interface Snapshot {
  namespace: string;
  /** Items of the List (Pods, Services, Deployments, StatefulSets, PersistentVolumeClaims, Events). */
  objects: KubeObject[];
  /** Last log lines keyed "pod/container" (current run) or "pod/container (previous)" (the run before the last restart). */
  logs: Record<string, string>;
  collectedAt?: string;
}

export type FailureId =
  | "ErrImageNeverPull"
  | "ImagePullFailed"
  | "MissingSecret"
  | "CrashLoopBackOff"
  | "OOMKilled"
  | "Unschedulable"
  | "PostgresNotReady"
  | "BackendNotReady"
  | "LoadBalancerPending"
  | "NoPods";

export interface Finding {
  id: FailureId;
  severity: "error" | "warning";
  /** The object concerned, e.g. pod/todo-chatbot-backend-5d8f7-abcde. */
  object: string;
  /** One line: what is wrong. */
  problem: string;
  /** Lines quoted from statuses, events and logs. */
  evidence: string[];
  /** What to check or run next. */
  hint: string;
}

const APP = "app.kubernetes.io/name";
const COMPONENT = "app.kubernetes.io/component";
const SECRET_KEYS = ["BETTER_AUTH_SECRET", "DATABASE_URL", "POSTGRES_PASSWORD", "OPENAI_API_KEY"];

function kindOf(kind: string): (o: KubeObject) => boolean {
  return (o) => o.kind === kind;
}

function podStatus(pod: KubeObject): {
  phase: string;
  conditions: { type: string; status: string; reason?: string; message?: string }[];
  containers: ContainerStatus[];
  init: ContainerStatus[];
} {
  const s = (pod.status ?? {}) as Record<string, unknown>;
  return {
    phase: typeof s.phase === "string" ? s.phase : "Unknown",
    conditions: (s.conditions as { type: string; status: string; reason?: string; message?: string }[] | undefined) ?? [],
    containers: (s.containerStatuses as ContainerStatus[] | undefined) ?? [],
    init: (s.initContainerStatuses as ContainerStatus[] | undefined) ?? [],
  };
}

function isReady(pod: KubeObject): boolean {
  return podStatus(pod).conditions.some((c) => c.type === "Ready" && c.status === "True");
}

function component(o: KubeObject): string {
  return o.metadata.labels?.[COMPONENT] ?? "-";
}

function eventsFor(objects: KubeObject[], kind: string, name: string): KubeObject[] {
  return objects.filter((e) => e.kind === "Event" && e.involvedObject?.kind === kind && e.involvedObject.name === name);
}

function eventTime(e: KubeObject): string {
  return e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? "";
}

function lastLines(text: string | undefined, n: number): string[] {
  if (!text) return [];
  return text.split("\n").map((l) => l.trimEnd()).filter((l) => l.length > 0).slice(-n);
}

function logsOf(snapshot: Snapshot, pod: string, container: string): { current: string[]; previous: string[] } {
  return {
    current: lastLines(snapshot.logs[`${pod}/${container}`], 200),
    previous: lastLines(snapshot.logs[`${pod}/${container} (previous)`], 200),
  };
}

const MISSING_VALUE =
  /\b(BETTER_AUTH_SECRET|DATABASE_URL|POSTGRES_PASSWORD|OPENAI_API_KEY)\b[^\n]*\b(required|missing|not set|must be set|is empty|undefined)\b|\b(required|missing|not set|must be set|empty)\b[^\n]*\b(BETTER_AUTH_SECRET|DATABASE_URL|POSTGRES_PASSWORD|OPENAI_API_KEY)\b/i;
const DB_UNREACHABLE =
  /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|password authentication failed|the database system is starting up|connect ETIMEDOUT|Connection terminated/i;

function imageNeverPullHint(image: string): string {
  return (
    `The image ${image} is not in Minikube's Docker daemon and the pull policy is Never. ` +
    "If it was built into another Docker daemon (the stack's `dockerHost` points at a daemon the cluster does not use, " +
    "e.g. podman's or another profile's): `pulumi config rm dockerHost` so the stack asks `minikube -p <profile> docker-env`, " +
    "or set dockerHost to that output's DOCKER_HOST, then `npm run up`. " +
    "If Minikube was recreated (minikube delete + start) or the stack's profile changed, `npm run up` rebuilds the images " +
    "(they are tied to the daemon's identity). If the image was removed from the same daemon (docker image prune, " +
    "minikube image rm), Pulumi cannot notice: rebuild it with `pulumi up --replace <URN>` for each image " +
    "(`pulumi stack --show-urns | grep docker:index/image:Image` lists them). Check that kubectl looks at the stack's cluster " +
    "(`pulumi stack output kubeContext`) and what its daemon has: `minikube -p <profile> image ls | grep todo-chatbot`."
  );
}

/** Findings for one Pod, most specific first. */
function podFindings(snapshot: Snapshot, pod: KubeObject): Finding[] {
  const name = pod.metadata.name;
  const ref = `pod/${name}`;
  const { phase, conditions, containers, init } = podStatus(pod);
  const events = eventsFor(snapshot.objects, "Pod", name);
  const out: Finding[] = [];

  for (const c of [...init, ...containers]) {
    const waiting = c.state?.waiting;
    const where = `${ref} container ${c.name}`;
    if (waiting?.reason === "ErrImageNeverPull") {
      out.push({
        id: "ErrImageNeverPull",
        severity: "error",
        object: where,
        problem: `image ${c.image} is not present on the node (pull policy Never)`,
        evidence: [`waiting: ErrImageNeverPull${waiting.message ? ` — ${waiting.message}` : ""}`],
        hint: imageNeverPullHint(c.image),
      });
      continue;
    }
    if (waiting?.reason && ["ErrImagePull", "ImagePullBackOff", "InvalidImageName"].includes(waiting.reason)) {
      out.push({
        id: "ImagePullFailed",
        severity: "error",
        object: where,
        problem: `image ${c.image} cannot be pulled (${waiting.reason})`,
        evidence: [`waiting: ${waiting.reason}${waiting.message ? ` — ${waiting.message}` : ""}`],
        hint:
          "Our images are built into Minikube and must use pull policy Never (chart value image.pullPolicy); " +
          "for other images check the name, the tag and that the node can reach the registry.",
      });
      continue;
    }
    if (waiting?.reason === "CreateContainerConfigError") {
      const msg = waiting.message ?? "";
      const secret = /secret "([^"]+)" not found/.exec(msg);
      const key = /couldn't find key (\S+) in Secret (\S+)/.exec(msg);
      if (secret || key) {
        out.push({
          id: "MissingSecret",
          severity: "error",
          object: where,
          problem: secret ? `Secret ${secret[1]} does not exist` : `Secret ${key?.[2]} has no key ${key?.[1]}`,
          evidence: [`waiting: CreateContainerConfigError — ${msg}`],
          hint:
            "The chart expects the Secret made by the Pulumi stack (or chart value existingSecret). Check " +
            `\`kubectl get secret -n ${snapshot.namespace}\`; set missing values with \`pulumi config set --secret <key> <value>\` ` +
            "and run `pulumi up`.",
        });
        continue;
      }
    }
    const restarting = waiting?.reason === "CrashLoopBackOff" || (c.restartCount > 0 && !c.ready && c.lastState?.terminated);
    if (!restarting) continue;
    const terminated = c.lastState?.terminated;
    const logs = logsOf(snapshot, name, c.name);
    const lines = logs.previous.length > 0 ? logs.previous : logs.current;
    const exit = terminated
      ? `last run: ${terminated.reason ?? "terminated"}, exit code ${terminated.exitCode ?? "?"}`
      : "last run: unknown";
    if (terminated?.reason === "OOMKilled") {
      out.push({
        id: "OOMKilled",
        severity: "error",
        object: where,
        problem: `container ${c.name} was killed for using more memory than its limit (restarts: ${c.restartCount})`,
        evidence: [exit],
        hint: "Raise the container's memory limit in the chart values (resources.limits.memory) or give Minikube more memory.",
      });
      continue;
    }
    const missing = lines.find((l) => MISSING_VALUE.test(l));
    if (missing) {
      const variable = SECRET_KEYS.find((k) => missing.includes(k)) ?? "a secret value";
      out.push({
        id: "MissingSecret",
        severity: "error",
        object: where,
        problem: `CrashLoopBackOff: the process exits at start because ${variable} is missing or empty (restarts: ${c.restartCount})`,
        evidence: [exit, `log: ${missing}`],
        hint:
          `${variable} comes from the stack's Secret: \`kubectl describe secret -n ${snapshot.namespace}\` lists each key with its size ` +
          "(0 bytes = empty) without printing values. Set it with `pulumi config set --secret ...` (or let the stack generate it) and run `pulumi up`.",
      });
      continue;
    }
    const db = lines.find((l) => DB_UNREACHABLE.test(l));
    if (db && component(pod) !== "postgresql") {
      out.push({
        id: "PostgresNotReady",
        severity: "error",
        object: where,
        problem: `CrashLoopBackOff: the process cannot reach PostgreSQL (restarts: ${c.restartCount})`,
        evidence: [exit, `log: ${db}`],
        hint: postgresHint(snapshot.namespace),
      });
      continue;
    }
    out.push({
      id: "CrashLoopBackOff",
      severity: "error",
      object: where,
      problem: `container ${c.name} keeps exiting (restarts: ${c.restartCount})`,
      evidence: [exit, ...lines.slice(-3).map((l) => `log: ${l}`)],
      hint: `Read the previous run's log: \`kubectl logs ${name} -c ${c.name} -n ${snapshot.namespace} --previous\`.`,
    });
  }

  const scheduled = conditions.find((c) => c.type === "PodScheduled");
  if (phase === "Pending" && scheduled?.status === "False") {
    const failed = events.filter((e) => e.reason === "FailedScheduling").map((e) => e.message ?? "");
    const message = scheduled.message ?? failed.at(-1) ?? "";
    const storage = /PersistentVolumeClaim|volume/i.test(message);
    const claims = storage ? unboundClaims(snapshot) : [];
    out.push({
      id: component(pod) === "postgresql" ? "PostgresNotReady" : "Unschedulable",
      severity: "error",
      object: ref,
      problem: storage ? "cannot be scheduled: its PersistentVolumeClaim is not bound" : "cannot be scheduled",
      evidence: [`PodScheduled=False ${scheduled.reason ?? ""}: ${message}`.trim(), ...claims],
      hint: storage
        ? `No volume for the claim: check \`kubectl get pvc -n ${snapshot.namespace}\` and \`kubectl get storageclass\`; on Minikube run \`minikube addons enable storage-provisioner\` and \`minikube addons enable default-storageclass\`.`
        : "The node lacks the CPU or memory the Pod requests: give Minikube more (`minikube start --cpus 4 --memory 8g` on a new profile) or lower the requests in the chart values.",
    });
  }
  return out;
}

/** "pvc/NAME: Pending — <last event>" for every claim that is not Bound. */
function unboundClaims(snapshot: Snapshot): string[] {
  return snapshot.objects
    .filter(kindOf("PersistentVolumeClaim"))
    .filter((c) => (c.status as { phase?: string } | undefined)?.phase !== "Bound")
    .map((c) => {
      const last = eventsFor(snapshot.objects, "PersistentVolumeClaim", c.metadata.name).at(-1);
      const phase = (c.status as { phase?: string } | undefined)?.phase ?? "?";
      return `pvc/${c.metadata.name}: ${phase}${last?.message ? ` — ${last.message}` : ""}`;
    });
}

function postgresHint(namespace: string): string {
  return (
    `Check the database: \`kubectl get pods,pvc -n ${namespace} -l app.kubernetes.io/component=postgresql\`, ` +
    `\`kubectl describe pod -n ${namespace} -l app.kubernetes.io/component=postgresql\` and its logs. ` +
    "The backend's /ready answers 503 until the database is reachable and migrated. If the Secret was re-created, " +
    "the existing data volume still has the old password (delete the PVC only if its data may go)."
  );
}

/** Findings that differ only in the object (replicas of one workload) become one, naming every object. */
function mergeReplicas(findings: Finding[]): Finding[] {
  const merged = new Map<string, Finding>();
  const strip = (text: string) => text.replace(/\(restarts: \d+\)/, "");
  for (const f of findings) {
    const key = [f.id, f.severity, strip(f.problem), f.hint, f.object.replace(/^pod\/\S+/, "pod")].join("\u0000");
    const seen = merged.get(key);
    if (!seen) merged.set(key, { ...f, evidence: [...f.evidence] });
    else {
      seen.object = seen.object.replace(/^(pod\/\S+)/, (first) => `${first}, pod/${f.object.split(" ")[0]?.slice(4)}`);
      for (const e of f.evidence) if (!seen.evidence.includes(e)) seen.evidence.push(e);
    }
  }
  return [...merged.values()];
}

/** All findings for the namespace. */
export function findProblems(snapshot: Snapshot): Finding[] {
  return mergeReplicas(rawFindings(snapshot));
}

function rawFindings(snapshot: Snapshot): Finding[] {
  const pods = snapshot.objects.filter(kindOf("Pod"));
  const findings: Finding[] = [];
  const appPods = pods.filter((p) => p.metadata.labels?.[APP] === "todo-chatbot");
  if (appPods.length === 0) {
    findings.push({
      id: "NoPods",
      severity: "error",
      object: `namespace/${snapshot.namespace}`,
      problem: "no todo-chatbot Pods in this namespace",
      evidence: [`${pods.length} Pod(s) in the namespace, none labelled ${APP}=todo-chatbot`],
      hint: "Check the namespace (`--namespace`), then `helm list -A` and `pulumi stack output`; run `pulumi up` if the app is not deployed.",
    });
  }
  for (const pod of pods) findings.push(...podFindings(snapshot, pod));

  // PostgreSQL not ready (and not already explained by a Pod-level finding on it).
  const pgPods = pods.filter((p) => component(p) === "postgresql");
  const explained = (pod: KubeObject) => findings.some((f) => f.object.split(" ")[0] === `pod/${pod.metadata.name}`);
  for (const pg of pgPods) {
    if (isReady(pg) || explained(pg)) continue;
    const probe = eventsFor(snapshot.objects, "Pod", pg.metadata.name).filter((e) => e.reason === "Unhealthy").map((e) => e.message ?? "");
    const { phase } = podStatus(pg);
    findings.push({
      id: "PostgresNotReady",
      severity: "error",
      object: `pod/${pg.metadata.name}`,
      problem: `PostgreSQL is not ready (phase ${phase})`,
      evidence: [
        ...probe.slice(-2).map((m) => `event: ${m}`),
        ...unboundClaims(snapshot),
      ],
      hint: postgresHint(snapshot.namespace),
    });
  }

  // Backend not ready because /ready answers 503.
  const dbDown = findings.some((f) => f.id === "PostgresNotReady");
  for (const pod of pods.filter((p) => component(p) === "backend" && !isReady(p) && podStatus(p).phase === "Running")) {
    if (findings.some((f) => f.object.startsWith(`pod/${pod.metadata.name}`))) continue;
    const unhealthy = eventsFor(snapshot.objects, "Pod", pod.metadata.name).filter(
      (e) => e.reason === "Unhealthy" && /Readiness probe failed/.test(e.message ?? ""),
    );
    const lines = logsOf(snapshot, pod.metadata.name, "backend").current;
    const db = lines.filter((l) => DB_UNREACHABLE.test(l)).slice(-2);
    findings.push({
      id: dbDown || db.length > 0 ? "PostgresNotReady" : "BackendNotReady",
      severity: "error",
      object: `pod/${pod.metadata.name}`,
      problem: dbDown || db.length > 0 ? "backend not ready: the database is not reachable" : "backend is running but not ready",
      evidence: [...unhealthy.slice(-1).map((e) => `event: ${e.message}`), ...db.map((l) => `log: ${l}`)],
      hint:
        dbDown || db.length > 0
          ? postgresHint(snapshot.namespace)
          : `GET /ready answers 503 while the database is unreachable, unmigrated or the process is shutting down: read \`kubectl logs ${pod.metadata.name} -n ${snapshot.namespace}\`.`,
    });
  }

  // LoadBalancer without an address.
  for (const svc of snapshot.objects.filter(kindOf("Service"))) {
    const spec = (svc.spec ?? {}) as { type?: string; ports?: { port?: number; nodePort?: number }[] };
    if (spec.type !== "LoadBalancer") continue;
    const ingress = (svc.status as { loadBalancer?: { ingress?: unknown[] } } | undefined)?.loadBalancer?.ingress ?? [];
    if (ingress.length > 0) continue;
    const nodePorts = (spec.ports ?? []).map((p) => p.nodePort).filter((p): p is number => typeof p === "number");
    findings.push({
      id: "LoadBalancerPending",
      severity: "warning",
      object: `service/${svc.metadata.name}`,
      problem: "LoadBalancer has no external address yet (EXTERNAL-IP <pending>)",
      evidence: [`type LoadBalancer, no status.loadBalancer.ingress${nodePorts.length ? `, NodePort ${nodePorts.join(", ")}` : ""}`],
      hint:
        "Normal on Minikube until a tunnel runs: start `minikube tunnel` in another terminal (it asks for sudo), or open " +
        `\`minikube service ${svc.metadata.name} -n ${snapshot.namespace} --url\` to use the NodePort instead.`,
    });
  }
  return findings;
}

function pad(cells: string[][]): string[] {
  const widths: number[] = [];
  for (const row of cells) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return cells.map((row) => "  " + row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join("  "));
}

function containerSummary(c: ContainerStatus): string {
  if (c.state?.waiting) return c.state.waiting.reason ?? "Waiting";
  if (c.state?.terminated) return c.state.terminated.reason ?? "Terminated";
  return c.ready ? "Running" : "Running (not ready)";
}

/** The whole report as text. */
export function formatReport(snapshot: Snapshot, findings: Finding[] = findProblems(snapshot)): string {
  const out: string[] = [];
  out.push(`todo-chatbot diagnosis: namespace "${snapshot.namespace}"${snapshot.collectedAt ? ` at ${snapshot.collectedAt}` : ""}`);
  out.push("");
  const pods = snapshot.objects.filter(kindOf("Pod"));
  out.push(`Pods (${pods.length})`);
  if (pods.length > 0) {
    const rows = [["NAME", "COMPONENT", "PHASE", "READY", "RESTARTS", "STATUS"]];
    for (const pod of pods) {
      const { phase, containers } = podStatus(pod);
      const ready = containers.filter((c) => c.ready).length;
      const restarts = containers.reduce((n, c) => n + c.restartCount, 0);
      const status = containers.map(containerSummary).filter((s, i, all) => all.indexOf(s) === i).join(", ") || phase;
      rows.push([pod.metadata.name, component(pod), phase, `${ready}/${containers.length}`, String(restarts), status]);
    }
    out.push(...pad(rows));
  }
  const services = snapshot.objects.filter(kindOf("Service"));
  if (services.length > 0) {
    out.push("", `Services (${services.length})`);
    const rows = [["NAME", "TYPE", "EXTERNAL", "PORTS"]];
    for (const svc of services) {
      const spec = (svc.spec ?? {}) as { type?: string; ports?: { port?: number; nodePort?: number }[] };
      const ingress = (svc.status as { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } } | undefined)?.loadBalancer?.ingress ?? [];
      const external = spec.type === "LoadBalancer" ? ingress.map((i) => i.ip ?? i.hostname ?? "?").join(",") || "<pending>" : "-";
      const ports = (spec.ports ?? []).map((p) => (p.nodePort ? `${p.port}:${p.nodePort}` : String(p.port))).join(",");
      rows.push([svc.metadata.name, spec.type ?? "ClusterIP", external, ports]);
    }
    out.push(...pad(rows));
  }
  const events = snapshot.objects.filter(kindOf("Event")).sort((a, b) => eventTime(a).localeCompare(eventTime(b)));
  out.push("", `Recent events (${Math.min(events.length, 15)} of ${events.length}, oldest first)`);
  for (const e of events.slice(-15)) {
    const count = e.count && e.count > 1 ? ` (x${e.count})` : "";
    out.push(
      `  ${eventTime(e) || "-"}  ${e.type ?? "?"}  ${e.reason ?? "?"}  ${(e.involvedObject?.kind ?? "?").toLowerCase()}/${e.involvedObject?.name ?? "?"}: ${e.message ?? ""}${count}`,
    );
  }
  const logKeys = Object.keys(snapshot.logs).sort();
  out.push("", "Last log lines");
  if (logKeys.length === 0) out.push("  (none collected)");
  for (const key of logKeys) {
    const lines = lastLines(snapshot.logs[key], 10);
    out.push(`  --- ${key} ---`);
    out.push(...(lines.length ? lines.map((l) => `  ${l}`) : ["  (empty)"]));
  }
  out.push("", "Findings");
  if (findings.length === 0) out.push("  No known problem found: every Pod is ready and every LoadBalancer has an address.");
  for (const f of findings) {
    out.push(`  ${f.severity === "error" ? "ERROR" : "WARN "} [${f.id}] ${f.object}: ${f.problem}`);
    for (const e of f.evidence) out.push(`        ${e}`);
    out.push(`        hint: ${f.hint}`);
  }
  const errors = findings.filter((f) => f.severity === "error").length;
  out.push("", `Summary: ${errors} error(s), ${findings.length - errors} warning(s).`);
  return out.join("\n");
}

/** Parses the JSON of `kubectl get <kinds> -o json` (a List, or a single object). */
export function parseKubectlJson(text: string): KubeObject[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`kubectl did not return JSON (${(error as Error).message}); first bytes: ${text.slice(0, 120)}`, { cause: error });
  }
  if (parsed && typeof parsed === "object" && Array.isArray((parsed as { items?: unknown }).items)) {
    return (parsed as { items: KubeObject[] }).items;
  }
  return [parsed as KubeObject];
}
