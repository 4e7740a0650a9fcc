import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { IContainer } from "kubernetes-models/v1/Container" with { "resolution-mode": "import" };
import {
  byKind,
  objectId,
  podTemplates,
  renderChart,
  valueSetFile,
  type KubeObject,
  type Rendered,
  type ValueSet,
} from "../support/chart/index.js";
import { helmGate } from "./gate.js";

const withOwnSecret: ValueSet[] = ["default", "external-db", "nodeport", "scaled"];

/** The secret values a value set file gives (secrets.*). */
function secretValues(valueSet: ValueSet): string[] {
  const values = parse(readFileSync(valueSetFile(valueSet), "utf8")) as { secrets?: Record<string, string> };
  return Object.values(values.secrets ?? {}).filter((value) => value.length > 0);
}

function envOf(objects: KubeObject[], component: string): IContainer["env"] {
  const pod = podTemplates(objects).find((candidate) => candidate.labels["app.kubernetes.io/component"] === component);
  return pod?.spec.containers[0]?.env ?? [];
}

describe.skipIf(!helmGate.ok)("secrets", () => {
  const rendered = new Map<ValueSet, Rendered>();
  beforeAll(async () => {
    for (const valueSet of [...withOwnSecret, "existing-secret" as const]) rendered.set(valueSet, await renderChart({ valueSet }));
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

  it("with in-cluster PostgreSQL the backend composes DATABASE_URL from POSTGRES_PASSWORD", () => {
    const env = envOf(objectsOf("default"), "backend") ?? [];
    const names = env.map((variable) => variable.name);
    expect(names.indexOf("POSTGRES_PASSWORD")).toBeGreaterThanOrEqual(0);
    expect(names.indexOf("POSTGRES_PASSWORD")).toBeLessThan(names.indexOf("DATABASE_URL"));
    expect(env.find((variable) => variable.name === "DATABASE_URL")?.value).toBe(
      "postgres://todo:$(POSTGRES_PASSWORD)@todo-todo-chatbot-postgresql:5432/todo",
    );
  });

  it("with an external database the backend reads DATABASE_URL from the Secret", () => {
    const env = envOf(objectsOf("external-db"), "backend") ?? [];
    expect(env.find((variable) => variable.name === "DATABASE_URL")?.valueFrom?.secretKeyRef).toEqual({ name: "todo-todo-chatbot", key: "DATABASE_URL" });
    expect(env.some((variable) => variable.name === "POSTGRES_PASSWORD")).toBe(false);
  });

  it("with existingSecret no Secret is rendered and every secret reference names the existing one", () => {
    const objects = objectsOf("existing-secret");
    expect(byKind(objects, "Secret")).toEqual([]);
    const references = podTemplates(objects).flatMap((pod) =>
      pod.spec.containers.flatMap((container) => (container.env ?? []).flatMap((variable) => (variable.valueFrom?.secretKeyRef ? [variable.valueFrom.secretKeyRef.name] : []))));
    expect(references.length).toBeGreaterThanOrEqual(3);
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
