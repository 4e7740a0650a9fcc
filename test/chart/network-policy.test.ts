import { beforeAll, describe, expect, it } from "vitest";
import {
  connectionAllowed,
  networkPolicies,
  podTemplates,
  renderChart,
  type Endpoint,
  type KubeObject,
  type PodTemplate,
  type ValueSet,
} from "../support/chart/index.js";
import { helmGate } from "./gate.js";

type Name = "outside" | "frontend" | "backend" | "postgresql" | "test";

/** Which connections each value set must allow; every other pair in `probes` must be denied. */
const probes: [Name, Name, number, ("TCP" | "UDP")?][] = [
  ["outside", "frontend", 3000],
  ["outside", "backend", 8000],
  ["outside", "postgresql", 5432],
  ["frontend", "backend", 8000],
  ["frontend", "postgresql", 5432],
  ["frontend", "outside", 443],
  ["backend", "postgresql", 5432],
  ["backend", "frontend", 3000],
  ["backend", "outside", 443],
  ["backend", "outside", 5432],
  ["test", "frontend", 3000],
  ["test", "backend", 8000],
  ["test", "postgresql", 5432],
  ["postgresql", "outside", 443],
  ["postgresql", "backend", 8000],
  ["frontend", "outside", 53, "UDP"],
  ["backend", "outside", 53, "UDP"],
  ["backend", "outside", 53, "TCP"],
  ["test", "outside", 53, "UDP"],
  ["postgresql", "outside", 53, "UDP"],
];
const baseAllowed = [
  "outside->frontend:3000",
  "frontend->backend:8000",
  "test->frontend:3000",
  "test->backend:8000",
  "frontend->outside:53/UDP",
  "backend->outside:53/UDP",
  "backend->outside:53/TCP",
  "test->outside:53/UDP",
];
const allowed: Partial<Record<ValueSet, string[]>> = {
  default: [...baseAllowed, "backend->postgresql:5432"],
  "external-db": [...baseAllowed, "backend->outside:5432"],
  scaled: [...baseAllowed, "backend->postgresql:5432", "backend->outside:443"],
  "existing-secret": [...baseAllowed, "backend->postgresql:5432", "backend->outside:443"],
};

function label([from, to, port, protocol]: (typeof probes)[number]): string {
  return `${from}->${to}:${port}${protocol && protocol !== "TCP" ? `/${protocol}` : protocol === "TCP" && port === 53 ? "/TCP" : ""}`;
}

describe.skipIf(!helmGate.ok)("NetworkPolicies", () => {
  const rendered = new Map<ValueSet, KubeObject[]>();
  beforeAll(async () => {
    for (const valueSet of Object.keys(allowed) as ValueSet[]) rendered.set(valueSet, (await renderChart({ valueSet })).objects);
  });

  it.each(Object.keys(allowed) as ValueSet[])("%s: allow exactly the intended connections", (valueSet) => {
    const objects = rendered.get(valueSet) ?? [];
    const policies = networkPolicies(objects);
    const pods = podTemplates(objects);
    const endpoint = (name: Name): Endpoint | undefined =>
      name === "outside" ? "outside" : pods.find((pod: PodTemplate) => pod.labels["app.kubernetes.io/component"] === name);
    const open: string[] = [];
    for (const probe of probes) {
      const [from, to, port, protocol] = probe;
      const source = endpoint(from);
      const destination = endpoint(to);
      if (!source || !destination) continue; // e.g. no postgresql with an external database
      if (connectionAllowed(policies, { from: source, to: destination, port, protocol: protocol ?? "TCP" })) open.push(label(probe));
    }
    expect(open.sort()).toEqual([...(allowed[valueSet] ?? [])].sort());
  });

  it("with networkPolicy.enabled=false no policy is rendered", async () => {
    const { objects } = await renderChart({ valueSet: "default", values: { networkPolicy: { enabled: false } } });
    expect(networkPolicies(objects)).toEqual([]);
  });

  it("LLM egress ports follow networkPolicy.llmEgressPorts", async () => {
    const { objects } = await renderChart({ valueSet: "default", values: { networkPolicy: { llmEgress: true, llmEgressPorts: [443, 11434] } } });
    const policies = networkPolicies(objects);
    const backend = podTemplates(objects).find((pod) => pod.labels["app.kubernetes.io/component"] === "backend");
    if (!backend) throw new Error("no backend Pod");
    expect(connectionAllowed(policies, { from: backend, to: "outside", port: 11434 })).toBe(true);
    expect(connectionAllowed(policies, { from: backend, to: "outside", port: 80 })).toBe(false);
  });
});
