import { beforeAll, describe, expect, it } from "vitest";
import type { IContainer } from "kubernetes-models/v1/Container" with { "resolution-mode": "import" };
import type { IProbe } from "kubernetes-models/v1/Probe" with { "resolution-mode": "import" };
import { podTemplates, renderChart, valueSets, type PodTemplate, type ValueSet } from "../support/chart/index.js";
import { helmGate } from "./gate.js";

/** The app's graceful drain after SIGTERM (contract), which the grace period must cover after preStop. */
const appDrainSeconds = 10;

function probePort(probe: IProbe): number | string | undefined {
  return probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port;
}

function declaresPort(container: IContainer, port: number | string): boolean {
  return (container.ports ?? []).some((declared) => declared.name === port || declared.containerPort === port);
}

function component(pods: PodTemplate[], name: string): { pod: PodTemplate; container: IContainer } {
  const pod = pods.find((candidate) => candidate.labels["app.kubernetes.io/component"] === name);
  const container = pod?.spec.containers[0];
  if (!pod || !container) throw new Error(`no ${name} Pod rendered`);
  return { pod, container };
}

describe.skipIf(!helmGate.ok)("probes, shutdown and rollout triggers", () => {
  const pods = new Map<ValueSet, PodTemplate[]>();
  beforeAll(async () => {
    for (const valueSet of valueSets) pods.set(valueSet, podTemplates((await renderChart({ valueSet })).objects));
  });
  const podsOf = (valueSet: ValueSet): PodTemplate[] => pods.get(valueSet) ?? [];

  it.each(valueSets)("%s: every probe and Service-facing port targets a port the container declares", (valueSet) => {
    const problems: string[] = [];
    for (const pod of podsOf(valueSet)) {
      for (const container of pod.spec.containers) {
        for (const kind of ["startupProbe", "readinessProbe", "livenessProbe"] as const) {
          const probe = container[kind];
          if (!probe) continue;
          const port = probePort(probe);
          if (port !== undefined && !declaresPort(container, port)) problems.push(`${pod.owner} ${container.name} ${kind} targets undeclared port ${port}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it.each(valueSets)("%s: every long-running container has startup, readiness and liveness probes", (valueSet) => {
    const missing = podsOf(valueSet)
      .filter((pod) => !pod.owner.startsWith("Pod/"))
      .flatMap((pod) => pod.spec.containers.flatMap((container) =>
        (["startupProbe", "readinessProbe", "livenessProbe"] as const).filter((kind) => !container[kind]).map((kind) => `${pod.owner} ${kind}`)));
    expect(missing).toEqual([]);
  });

  it("the backend is live on /health and ready on /ready; the frontend uses /healthz", () => {
    const { container: backend } = component(podsOf("default"), "backend");
    expect(backend.startupProbe?.httpGet?.path).toBe("/health");
    expect(backend.livenessProbe?.httpGet?.path).toBe("/health");
    expect(backend.readinessProbe?.httpGet?.path).toBe("/ready");
    const { container: frontend } = component(podsOf("default"), "frontend");
    for (const kind of ["startupProbe", "readinessProbe", "livenessProbe"] as const) expect(frontend[kind]?.httpGet?.path).toBe("/healthz");
    // same endpoint, but liveness is slower to give up than readiness
    const patience = (probe: IProbe | undefined): number => (probe?.periodSeconds ?? 10) * (probe?.failureThreshold ?? 3);
    expect(patience(frontend.livenessProbe)).toBeGreaterThan(patience(frontend.readinessProbe));
  });

  it.each(valueSets)("%s: app Pods sleep in preStop and their grace period covers the sleep plus the drain", (valueSet) => {
    for (const name of ["backend", "frontend"]) {
      const { pod, container } = component(podsOf(valueSet), name);
      const sleep = container.lifecycle?.preStop?.sleep?.seconds;
      expect(sleep, `${pod.owner} preStop sleep`).toBeGreaterThan(0);
      expect(pod.spec.terminationGracePeriodSeconds, `${pod.owner} grace`).toBeGreaterThan((sleep ?? 0) + appDrainSeconds);
    }
  });

  it("a grace period too short for preStop plus the drain is refused at render time", async () => {
    await expect(renderChart({ valueSet: "default", values: { backend: { terminationGracePeriodSeconds: 12 } } })).rejects.toThrow(
      /backend\.terminationGracePeriodSeconds \(12\) must exceed backend\.preStopSleepSeconds/,
    );
  });

  it("changing a setting or a secret changes the Pods' checksum annotations (so they roll)", async () => {
    const checksums = async (values: Record<string, unknown>): Promise<Record<string, string>> => {
      const { pod } = component(podTemplates((await renderChart({ valueSet: "default", values })).objects), "backend");
      return { config: pod.annotations["checksum/config"] ?? "", secret: pod.annotations["checksum/secret"] ?? "" };
    };
    const base = await checksums({});
    expect(base.config).toMatch(/^[0-9a-f]{64}$/);
    expect(base.secret).toMatch(/^[0-9a-f]{64}$/);
    const config = await checksums({ config: { logLevel: "debug" } });
    expect(config.config).not.toBe(base.config);
    expect(config.secret).toBe(base.secret);
    const secret = await checksums({ secrets: { openaiApiKey: "fake-another-test-only-key" } });
    expect(secret.secret).not.toBe(base.secret);
    expect(secret.config).toBe(base.config);
  });

  it("the helm test Pod checks frontend /healthz and backend /ready through their Services with the backend image", () => {
    const test = podsOf("nodeport").find((pod) => pod.owner.startsWith("Pod/"));
    const container = test?.spec.containers[0];
    expect(test?.spec.restartPolicy).toBe("Never");
    expect(container?.image).toBe("todo-chatbot-backend:0.1.0");
    expect(container?.imagePullPolicy).toBe("Never");
    expect(container?.command).toEqual(["node", "-e"]);
    const env = Object.fromEntries((container?.env ?? []).map((variable) => [variable.name, variable.value]));
    expect(env).toEqual({
      FRONTEND_URL: "http://todo-todo-chatbot-frontend:80/healthz",
      BACKEND_URL: "http://todo-todo-chatbot-backend:8000/ready",
    });
  });
});
