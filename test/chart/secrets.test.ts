import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { IContainer } from "kubernetes-models/v1/Container" with { "resolution-mode": "import" };
import {
  byKind,
  objectId,
  podTemplates,
  renderChart,
  valueSetFile,
  valueSets,
  type KubeObject,
  type PodTemplate,
  type Rendered,
  type ValueSet,
} from "../support/chart/index.js";
import { loadEnv } from "../../apps/backend/src/env.ts";
import { helmGate } from "./gate.js";

const withOwnSecret: ValueSet[] = ["default", "external-db", "nodeport", "scaled"];

/** The secret values a value set file gives (secrets.*). */
function secretValues(valueSet: ValueSet): string[] {
  const values = parse(readFileSync(valueSetFile(valueSet), "utf8")) as { secrets?: Record<string, string> };
  return Object.values(values.secrets ?? {}).filter((value) => value.length > 0);
}

function envOf(objects: KubeObject[], component: string): NonNullable<IContainer["env"]> {
  const pod = podTemplates(objects).find((candidate) => candidate.labels["app.kubernetes.io/component"] === component);
  return pod?.spec.containers[0]?.env ?? [];
}

/** The *_FILE variables of a component's container: name -> path. */
function fileVariables(objects: KubeObject[], component: string): Record<string, string> {
  const env = envOf(objects, component);
  return Object.fromEntries(env.filter((variable) => variable.name.endsWith("_FILE")).map((variable) => [variable.name, variable.value ?? ""]));
}

interface MountedSecretFile {
  key: string;
  readOnly: boolean;
  mode: number;
}

/** The files a container sees from Secret volumes: path in the container -> the Secret key, mount and mode. */
function mountedSecretFiles(pod: PodTemplate, container: IContainer): Map<string, MountedSecretFile> {
  const files = new Map<string, MountedSecretFile>();
  for (const mount of container.volumeMounts ?? []) {
    const secret = (pod.spec.volumes ?? []).find((volume) => volume.name === mount.name)?.secret;
    for (const item of secret?.items ?? []) {
      files.set(`${mount.mountPath}/${item.path}`, { key: item.key, readOnly: mount.readOnly === true, mode: item.mode ?? secret?.defaultMode ?? 0o644 });
    }
  }
  return files;
}

describe.skipIf(!helmGate.ok)("secrets", () => {
  const rendered = new Map<ValueSet, Rendered>();
  beforeAll(async () => {
    for (const valueSet of valueSets) rendered.set(valueSet, await renderChart({ valueSet }));
  });
  const objectsOf = (valueSet: ValueSet): KubeObject[] => rendered.get(valueSet)?.objects ?? [];

  it.each(withOwnSecret)("%s: no secret value appears outside the Secret (plain or base64)", (valueSet) => {
    const values = secretValues(valueSet);
    expect(values.length).toBeGreaterThanOrEqual(2);
    const leaks: string[] = [];
    for (const object of objectsOf(valueSet).filter((candidate) => candidate.kind !== "Secret")) {
      const text = JSON.stringify(object);
      for (const value of values) {
        const forms = [value, Buffer.from(value).toString("base64")];
        if (forms.some((form) => text.includes(form))) leaks.push(`${objectId(object)} contains ${value.slice(0, 6)}…`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it.each(withOwnSecret)("%s: the chart's Secret holds exactly the keys the contract names", (valueSet) => {
    const [secret] = byKind(objectsOf(valueSet), "Secret");
    const keys = Object.keys((secret as { data?: Record<string, string> } | undefined)?.data ?? {}).sort();
    const expected: Record<string, string[]> = {
      default: ["BETTER_AUTH_SECRET", "POSTGRES_PASSWORD"],
      nodeport: ["BETTER_AUTH_SECRET", "POSTGRES_PASSWORD"],
      scaled: ["BETTER_AUTH_SECRET", "OPENAI_API_KEY", "POSTGRES_PASSWORD"],
      "external-db": ["BETTER_AUTH_SECRET", "DATABASE_URL"],
    };
    expect(keys).toEqual(expected[valueSet]);
    expect(secret?.metadata.name).toBe("todo-todo-chatbot");
  });

  it.each(valueSets)("%s: no container reads a secret from the environment (no secretKeyRef, no envFrom Secret)", (valueSet) => {
    const fromEnvironment = podTemplates(objectsOf(valueSet)).flatMap((pod) =>
      [...(pod.spec.initContainers ?? []), ...pod.spec.containers].flatMap((container) => [
        ...(container.env ?? []).filter((variable) => variable.valueFrom?.secretKeyRef).map((variable) => `${pod.owner} ${container.name} env ${variable.name}`),
        ...(container.envFrom ?? []).filter((source) => source.secretRef).map(() => `${pod.owner} ${container.name} envFrom`),
      ]),
    );
    expect(fromEnvironment).toEqual([]);
  });

  it.each(valueSets)("%s: every *_FILE variable names a file of the Secret, mounted read-only and readable by the Pod's group only", (valueSet) => {
    const problems: string[] = [];
    for (const pod of podTemplates(objectsOf(valueSet))) {
      for (const container of pod.spec.containers) {
        for (const variable of (container.env ?? []).filter((candidate) => candidate.name.endsWith("_FILE"))) {
          const files = mountedSecretFiles(pod, container);
          const file = files.get(variable.value ?? "");
          if (!file) problems.push(`${pod.owner} ${variable.name}=${variable.value ?? ""} is no mounted Secret key (mounted: ${[...files.keys()].join(", ")})`);
          else if (!file.readOnly || file.mode !== 0o440) problems.push(`${pod.owner} ${variable.name}: mount readOnly=${file.readOnly}, mode ${file.mode.toString(8)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("the backend gets exactly the Secret's keys it needs, each as a *_FILE variable; PostgreSQL its password", async () => {
    const dir = "/run/secrets/todo-chatbot";
    const files = (valueSet: ValueSet): Record<string, string> => fileVariables(objectsOf(valueSet), "backend");
    expect(files("default")).toEqual({ BETTER_AUTH_SECRET_FILE: `${dir}/BETTER_AUTH_SECRET`, DATABASE_PASSWORD_FILE: `${dir}/POSTGRES_PASSWORD` });
    expect(files("scaled")).toEqual({
      BETTER_AUTH_SECRET_FILE: `${dir}/BETTER_AUTH_SECRET`,
      DATABASE_PASSWORD_FILE: `${dir}/POSTGRES_PASSWORD`,
      OPENAI_API_KEY_FILE: `${dir}/OPENAI_API_KEY`,
    });
    expect(files("external-db")).toEqual({ BETTER_AUTH_SECRET_FILE: `${dir}/BETTER_AUTH_SECRET`, DATABASE_URL_FILE: `${dir}/DATABASE_URL` });
    // existingSecret: the chart cannot see the key; networkPolicy.llmEgress says it is there (the Pulumi stack sets it so)
    expect(files("existing-secret")).toHaveProperty("OPENAI_API_KEY_FILE", `${dir}/OPENAI_API_KEY`);
    // the chart's own Secret without a key: llmEgress opens the egress but mounts no key that is not there
    const egressOnly = await renderChart({ valueSet: "default", values: { networkPolicy: { llmEgress: true } } });
    expect(fileVariables(egressOnly.objects, "backend")).not.toHaveProperty("OPENAI_API_KEY_FILE");
    expect(fileVariables(objectsOf("default"), "postgresql")).toEqual({ POSTGRES_PASSWORD_FILE: `${dir}/POSTGRES_PASSWORD` });
    expect(envOf(objectsOf("default"), "backend").find((variable) => variable.name === "DATABASE_URL")?.value).toBe(
      "postgres://todo@todo-todo-chatbot-postgresql:5432/todo",
    );
  });

  it.each(withOwnSecret)("%s: the real backend configuration accepts what the chart gives it, with the Secret's keys as files", (valueSet) => {
    const objects = objectsOf(valueSet);
    const [secret] = byKind(objects, "Secret");
    const data = (secret as { data?: Record<string, string> } | undefined)?.data ?? {};
    const [config] = byKind(objects, "ConfigMap");
    const configData = (config as { data?: Record<string, string> } | undefined)?.data ?? {};
    const pod = podTemplates(objects).find((candidate) => candidate.labels["app.kubernetes.io/component"] === "backend");
    const container = pod?.spec.containers[0];
    if (!pod || !container) throw new Error("no backend Pod rendered");
    // lay the Secret's mounted keys out under a scratch directory, as the kubelet would
    const root = mkdtempSync(join(tmpdir(), "chart-secrets-"));
    try {
      const environment: Record<string, string> = { NODE_ENV: "production" };
      for (const [path, file] of mountedSecretFiles(pod, container)) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), Buffer.from(data[file.key] ?? "", "base64"));
      }
      for (const variable of container.env ?? []) {
        const key = variable.valueFrom?.configMapKeyRef?.key;
        const value = key !== undefined ? configData[key] : variable.value;
        if (value !== undefined) environment[variable.name] = variable.name.endsWith("_FILE") ? join(root, value) : value;
      }
      const env = loadEnv(environment);
      const values = parse(readFileSync(valueSetFile(valueSet), "utf8")) as { secrets: Record<string, string> };
      expect(env.BETTER_AUTH_SECRET).toBe(values.secrets.betterAuthSecret);
      expect(env.OPENAI_API_KEY).toBe(values.secrets.openaiApiKey);
      expect(env.DATABASE_URL).toBe(
        valueSet === "external-db" ? values.secrets.databaseUrl : `postgres://todo:${values.secrets.postgresPassword}@todo-todo-chatbot-postgresql:5432/todo`,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("with existingSecret no Secret is rendered and every secret volume names the existing one", () => {
    const objects = objectsOf("existing-secret");
    expect(byKind(objects, "Secret")).toEqual([]);
    const references = podTemplates(objects).flatMap((pod) => (pod.spec.volumes ?? []).flatMap((volume) => (volume.secret ? [volume.secret.secretName] : [])));
    expect(references).toHaveLength(2); // backend and PostgreSQL; the test Pod reads no secret
    expect(new Set(references)).toEqual(new Set(["todo-chatbot-secrets"]));
    const backend = podTemplates(objects).find((pod) => pod.labels["app.kubernetes.io/component"] === "backend");
    expect(backend?.annotations["checksum/secret"]).toBeUndefined();
  });

  it("settings reach the backend through the ConfigMap; empty optional ones are left out", () => {
    const [config] = byKind(objectsOf("default"), "ConfigMap");
    expect((config as { data?: Record<string, string> } | undefined)?.data).toEqual({
      OPENAI_MODEL: "gpt-4o-mini",
      CHAT_RATE_LIMIT_PER_MINUTE: "20",
      LOG_LEVEL: "info",
      BACKEND_URL: "http://todo-todo-chatbot-backend:8000",
    });
    const [scaled] = byKind(objectsOf("scaled"), "ConfigMap");
    expect((scaled as { data?: Record<string, string> } | undefined)?.data).toMatchObject({
      PUBLIC_URL: "https://todo.example.test",
      OPENAI_BASE_URL: "https://llm.example.test/v1",
    });
  });
});
