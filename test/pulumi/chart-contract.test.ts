/**
 * The contract between the program and the chart: the exact values object the program hands to
 * `helm.v4.Chart` is rendered by the real `helm template` against apps/chart (values.schema.json included),
 * and the rendered objects carry the program's image refs, pull policy and Secret name.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { helmOk, missingHelm, suiteGate } from "@todo/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { isSecretWrapper, runProgram, type RunOptions } from "../support/pulumi-mocks";
import { SECRET_NAME } from "../../stack/release/names";

const gate = suiteGate("pulumi chart contract (helm)", missingHelm());

interface KubeObject {
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Renders apps/chart with the values the program passed to its helm.v4.Chart, as Pulumi would. */
async function renderProgramValues(options: RunOptions): Promise<{ objects: KubeObject[]; outputs: Record<string, unknown> }> {
  const run = await runProgram(options);
  const chart = run.one("kubernetes:helm.sh/v4:Chart");
  const values = chart.inputs.values;
  expect(isSecretWrapper(values), "the chart values must not be secret (nothing secret goes in them)").toBe(false);
  const dir = mkdtempSync(join(tmpdir(), "pulumi-chart-values-"));
  dirs.push(dir);
  const file = join(dir, "values.json");
  writeFileSync(file, JSON.stringify(values, null, 2));
  const result = await helmOk(
    ["template", String(chart.inputs.name), String(chart.inputs.chart), "--namespace", String(chart.inputs.namespace), "-f", file],
    { cwd: join(__dirname, "..", "..") },
  );
  const objects = parseAllDocuments(result.stdout)
    .map((doc) => doc.toJSON() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null);
  return { objects, outputs: run.outputs };
}

function find(objects: KubeObject[], kind: string, name: string): KubeObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(", ")}`);
  return found;
}

interface Container {
  name: string;
  image: string;
  imagePullPolicy?: string;
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { secretRef?: { name: string } }[];
}

interface Volume {
  name: string;
  secret?: { secretName: string; items?: { key: string; path: string }[] };
}

function podSpec(workload: KubeObject): { containers?: Container[]; initContainers?: Container[]; volumes?: Volume[] } {
  return ((workload.spec?.template ?? {}) as { spec?: ReturnType<typeof podSpec> }).spec ?? {};
}

function containers(workload: KubeObject): Container[] {
  const spec = podSpec(workload);
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
}

/** Names of every Secret a workload reads: mounted as files (the chart's way) or through the environment. */
function secretsRead(workload: KubeObject): Set<string> {
  const names = new Set<string>();
  for (const volume of podSpec(workload).volumes ?? []) if (volume.secret) names.add(volume.secret.secretName);
  for (const c of containers(workload)) {
    for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef) names.add(e.valueFrom.secretKeyRef.name);
    for (const e of c.envFrom ?? []) if (e.secretRef) names.add(e.secretRef.name);
  }
  return names;
}

describe.skipIf(!gate.ok)("the program's chart values, rendered by helm template", () => {
  it("default stack: Deployments run the program's images with pull policy Never and read its Secret", async () => {
    const { objects, outputs } = await renderProgramValues({});
    const backend = find(objects, "Deployment", "todo-chatbot-backend");
    const frontend = find(objects, "Deployment", "todo-chatbot-frontend");
    expect(containers(backend).map((c) => c.image)).toContain(outputs.backendImage);
    expect(containers(frontend).map((c) => c.image)).toContain(outputs.frontendImage);
    for (const c of [...containers(backend), ...containers(frontend)]) expect(c.imagePullPolicy, c.name).toBe("Never");
    expect(secretsRead(backend)).toEqual(new Set([SECRET_NAME]));
    const postgres = find(objects, "StatefulSet", "todo-chatbot-postgresql");
    expect(secretsRead(postgres)).toEqual(new Set([SECRET_NAME]));
    // the chart renders no Secret of its own: the stack's Secret is the only one
    expect(objects.filter((o) => o.kind === "Secret")).toEqual([]);
  });

  it("default stack: the LoadBalancer Service is marked skipAwait; only hook Pods exist (helm.v4.Chart drops them)", async () => {
    const { objects } = await renderProgramValues({});
    const service = find(objects, "Service", "todo-chatbot-frontend");
    expect(service.spec?.type).toBe("LoadBalancer");
    expect(service.metadata.annotations?.["pulumi.com/skipAwait"]).toBe("true");
    const pods = objects.filter((o) => o.kind === "Pod");
    expect(pods.length, "the chart's helm test Pod").toBeGreaterThan(0);
    for (const pod of pods) expect(pod.metadata.annotations?.["helm.sh/hook"], pod.metadata.name).toBe("test");
  });

  it("external database and OpenAI key: no PostgreSQL, the backend reads DATABASE_URL and the key as files of the stack's Secret", async () => {
    const { objects } = await renderProgramValues({
      config: { databaseUrl: "postgres://u:p@db.example.com/todo", openaiApiKey: "sk-x", replicas: "2", frontendServiceType: "NodePort" },
      secretKeys: ["databaseUrl", "openaiApiKey"],
      service: { type: "NodePort", nodePort: 30080 },
    });
    expect(objects.some((o) => o.kind === "StatefulSet")).toBe(false);
    const backend = find(objects, "Deployment", "todo-chatbot-backend");
    const env = containers(backend).flatMap((c) => c.env ?? []);
    expect(env.find((e) => e.name === "DATABASE_URL_FILE")?.value).toBe("/run/secrets/todo-chatbot/DATABASE_URL");
    expect(env.find((e) => e.name === "OPENAI_API_KEY_FILE")?.value).toBe("/run/secrets/todo-chatbot/OPENAI_API_KEY");
    const mounted = (podSpec(backend).volumes ?? []).flatMap((v) => (v.secret ? [v.secret] : []));
    expect(mounted.map((secret) => [secret.secretName, (secret.items ?? []).map((item) => item.key).sort()])).toEqual([
      [SECRET_NAME, ["BETTER_AUTH_SECRET", "DATABASE_URL", "OPENAI_API_KEY"]],
    ]);
    expect(backend.spec?.replicas).toBe(2);
    expect(find(objects, "Service", "todo-chatbot-frontend").spec?.type).toBe("NodePort");
  });

  it("postgresqlImage: the PostgreSQL StatefulSet runs that image, still pulled IfNotPresent; unset, the chart's default", async () => {
    const image = "mirror.example.com:5000/library/postgres:17.6-bookworm";
    const { objects } = await renderProgramValues({ config: { postgresqlImage: image } });
    const postgres = containers(find(objects, "StatefulSet", "todo-chatbot-postgresql")).find((c) => c.name === "postgresql");
    expect(postgres?.image).toBe(image);
    expect(postgres?.imagePullPolicy).toBe("IfNotPresent");
    const defaults = await renderProgramValues({});
    const chartDefault = containers(find(defaults.objects, "StatefulSet", "todo-chatbot-postgresql")).find((c) => c.name === "postgresql");
    expect(chartDefault?.image).toMatch(/^postgres:\d+/);
  });

  it("registry mode: the rendered images carry the registry and pull IfNotPresent", async () => {
    const { objects, outputs } = await renderProgramValues({
      config: { registry: "ghcr.io/me", kubeContext: "kind-kind" },
      service: { type: "LoadBalancer" },
    });
    const backend = find(objects, "Deployment", "todo-chatbot-backend");
    expect(containers(backend).map((c) => c.image)).toContain(outputs.backendImage);
    expect(String(outputs.backendImage)).toMatch(/^ghcr\.io\/me\/todo-chatbot-backend:/);
    for (const c of containers(backend)) expect(c.imagePullPolicy).toBe("IfNotPresent");
  });
});
