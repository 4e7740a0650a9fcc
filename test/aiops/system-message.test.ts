/** What the operations agent is told: this deployment's layout and how to check each usual failure. */
import { describe, expect, it } from "vitest";
import { buildSystemMessage } from "../../stack/aiops/system-message";
import { SECRET_NAME } from "../../stack/release/names";

const base = { appNamespace: "shop-todo", appFullname: "todo-chatbot", appSecretName: SECRET_NAME, kagentNamespace: "kagent", writeToolsEnabled: false };

describe("the agent's system message", () => {
  const text = buildSystemMessage(base);

  it("knows the namespace, the label selectors, the objects and the health endpoints", () => {
    expect(text).toContain("Namespace: shop-todo.");
    expect(text).toContain("app.kubernetes.io/name=todo-chatbot");
    expect(text).toContain("app.kubernetes.io/name=todo-chatbot,app.kubernetes.io/component=backend");
    for (const name of ["todo-chatbot-backend", "todo-chatbot-frontend", "todo-chatbot-postgresql", SECRET_NAME]) {
      expect(text).toContain(name);
    }
    expect(text).toMatch(/GET \/health = liveness/);
    expect(text).toMatch(/GET \/ready = readiness/);
    expect(text).toContain("GET /healthz");
  });

  it.each([
    ["ErrImageNeverPull", /ErrImageNeverPull[^\n]*Check: describe the Pod[^\n]*pulumi up/],
    ["missing secret", /CrashLoopBackOff from a missing secret[^\n]*CreateContainerConfigError[^\n]*Check:/],
    ["LoadBalancer pending", /LoadBalancer pending[^\n]*minikube tunnel[^\n]*minikube service todo-chatbot-frontend -n shop-todo --url/],
    ["Postgres not ready", /Postgres not ready[^\n]*pg_isready[^\n]*Check: get Pods with app.kubernetes.io\/component=postgresql/],
  ])("explains %s and how to check it", (_name, pattern) => {
    expect(text).toMatch(pattern);
  });

  it("is read-only unless write tools are enabled, and then asks for approval", () => {
    expect(text).toContain("You are read-only");
    const write = buildSystemMessage({ ...base, writeToolsEnabled: true });
    expect(write).not.toContain("You are read-only");
    expect(write).toMatch(/Every call needs the user's approval/);
  });

  it("never asks for or prints secret values", () => {
    expect(text).toMatch(/Never print, guess or ask for secret values/);
  });
});
