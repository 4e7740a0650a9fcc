import { describe, expect, it } from "vitest";
import { helmTemplate, lintChart, type RenderOptions } from "../support/chart/index.js";
import { helmGate } from "./gate.js";

/** Each case: values that must make `helm template` fail, and what the message must say. */
const cases: [string, RenderOptions, RegExp][] = [
  ["an unknown top-level key", { valueSet: "default", values: { replicas: 2 } }, /additional properties 'replicas' not allowed/],
  ["an unknown nested key (a typo)", { valueSet: "default", values: { backend: { replicaCuont: 2 } } }, /\/backend.*additional properties 'replicaCuont' not allowed/],
  ["a string replica count", { valueSet: "default", setString: { "backend.replicaCount": "two" } }, /\/backend\/replicaCount.*got string, want integer/],
  ["an invalid frontend service type", { valueSet: "default", values: { frontend: { service: { type: "Ingress" } } } }, /\/frontend\/service\/type/],
  ["a traffic policy Kubernetes does not know", { valueSet: "nodeport", values: { frontend: { service: { externalTrafficPolicy: "local" } } } }, /\/frontend\/service\/externalTrafficPolicy/],
  ["an image pull policy that does not exist", { valueSet: "default", values: { image: { pullPolicy: "Sometimes" } } }, /\/image\/pullPolicy/],
  ["a non-alphanumeric Postgres password", { valueSet: "default", values: { secrets: { postgresPassword: "p@ss/word" } } }, /\/secrets\/postgresPassword/],
  ["Postgres off without a database URL", { valueSet: "default", values: { postgresql: { enabled: false } } }, /secrets\.databaseUrl is required when postgresql\.enabled is false/],
  ["no auth secret and no existingSecret", {}, /secrets\.betterAuthSecret is required/],
  ["in-cluster Postgres without a password", { values: { secrets: { betterAuthSecret: "x".repeat(32) } } }, /secrets\.postgresPassword is required/],
  ["an auth secret shorter than 32 characters", { valueSet: "default", values: { secrets: { betterAuthSecret: "short" } } }, /\/secrets\/betterAuthSecret/],
  ["autoscaling bounds upside down", { valueSet: "default", values: { backend: { autoscaling: { enabled: true, minReplicas: 5, maxReplicas: 2 } } } }, /backend\.autoscaling\.minReplicas must not exceed/],
];

describe.skipIf(!helmGate.ok)("bad values fail, naming the key", () => {
  it.each(cases)("%s", async (_name, options, message) => {
    const run = await helmTemplate(options);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(message);
  });

  it("Postgres off is fine when the existing Secret provides DATABASE_URL", async () => {
    const run = await helmTemplate({ values: { existingSecret: "neon-credentials", postgresql: { enabled: false } } });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
  });

  it("helm lint --strict reports a bad value too", async () => {
    const run = await lintChart({ valueSet: "default", setString: { "frontend.replicaCount": "many" } });
    expect(run.code).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(/\/frontend\/replicaCount/);
  });
});
