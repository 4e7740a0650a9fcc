import { describe, expect, it } from "vitest";
import { getObject, renderChart, type RenderOptions } from "../support/chart/index.js";
import { helmGate } from "./gate.js";

const frontendService = "todo-todo-chatbot-frontend";

async function trafficPolicy(options: RenderOptions): Promise<unknown> {
  const { objects } = await renderChart(options);
  const service = getObject(objects, "Service", frontendService) as { spec?: Record<string, unknown> };
  return service.spec?.externalTrafficPolicy;
}

describe.skipIf(!helmGate.ok)("the frontend Service keeps the client's address (issue 18 item 1)", () => {
  it.each([
    ["LoadBalancer (default)", { valueSet: "default" }],
    ["NodePort", { valueSet: "nodeport" }],
  ] satisfies [string, RenderOptions][])("%s: externalTrafficPolicy Local, so kube-proxy does not rewrite the source to a node address", async (_name, options) => {
    expect(await trafficPolicy(options)).toBe("Local");
  });

  it("Cluster when chosen (any node serves, every client arrives from a node address)", async () => {
    expect(await trafficPolicy({ valueSet: "nodeport", values: { frontend: { service: { externalTrafficPolicy: "Cluster" } } } })).toBe("Cluster");
  });

  it("a ClusterIP Service gets none (the API refuses it there)", async () => {
    expect(await trafficPolicy({ valueSet: "default", values: { frontend: { service: { type: "ClusterIP" } } } })).toBeUndefined();
  });
});
