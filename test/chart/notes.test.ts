import { describe, expect, it } from "vitest";
import { renderNotes } from "../support/chart/index.js";
import { helmGate } from "./gate.js";

describe.skipIf(!helmGate.ok)("NOTES.txt", () => {
  it("for the default LoadBalancer tells to run minikube tunnel and how to read the address", async () => {
    const notes = await renderNotes({ valueSet: "default" });
    expect(notes).toContain("minikube tunnel");
    expect(notes).toContain("kubectl -n todo get service todo-todo-chatbot-frontend");
    expect(notes).toContain("helm test todo -n todo");
    expect(notes).toContain("data-todo-todo-chatbot-postgresql-0");
  });

  it("for a NodePort prints a command that builds the node-port URL", async () => {
    const notes = await renderNotes({ valueSet: "nodeport" });
    expect(notes).toContain("$(minikube ip)");
    expect(notes).toContain("{.spec.ports[0].nodePort}");
    expect(notes).not.toContain("minikube tunnel");
  });

  it("for a ClusterIP Service suggests a port-forward", async () => {
    const notes = await renderNotes({ valueSet: "external-db", values: { frontend: { service: { type: "ClusterIP" } } } });
    expect(notes).toContain("port-forward service/todo-todo-chatbot-frontend 8080:80");
    expect(notes).not.toContain("PostgreSQL keeps its data");
  });
});
