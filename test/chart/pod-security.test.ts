import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  repoRoot,
  hardeningProblems,
  podTemplates,
  renderChart,
  restrictedProblems,
  valueSets,
  type PodTemplate,
  type ValueSet,
} from "../support/chart/index.js";
import { helmGate } from "./gate.js";

describe.skipIf(!helmGate.ok)("Pod Security", () => {
  const pods = new Map<ValueSet, PodTemplate[]>();
  beforeAll(async () => {
    for (const valueSet of valueSets) pods.set(valueSet, podTemplates((await renderChart({ valueSet })).objects));
  });
  const podsOf = (valueSet: ValueSet): PodTemplate[] => pods.get(valueSet) ?? [];

  it.each(valueSets)("%s: every Pod meets the restricted profile", (valueSet) => {
    expect(podsOf(valueSet).length).toBeGreaterThanOrEqual(3);
    const problems = podsOf(valueSet).flatMap((pod) => restrictedProblems(pod.spec).map((problem) => `${pod.owner}: ${problem}`));
    expect(problems).toEqual([]);
  });

  it.each(valueSets)("%s: every Pod is hardened (numeric ids, read-only root, /tmp emptyDir, no token, requests+limits)", (valueSet) => {
    const problems = podsOf(valueSet).flatMap((pod) => hardeningProblems(pod.spec).map((problem) => `${pod.owner}: ${problem}`));
    expect(problems).toEqual([]);
  });

  it("the apps and the test Pod run as their images' user 10001, PostgreSQL as 10002; group and fsGroup the same", () => {
    const ids = Object.fromEntries(
      podsOf("default").map((pod) => {
        const context = pod.spec.securityContext;
        return [pod.owner, [context?.runAsUser, context?.runAsGroup, context?.fsGroup]];
      }),
    );
    expect(ids).toEqual({
      "Deployment/todo-todo-chatbot-backend": [10001, 10001, 10001],
      "Deployment/todo-todo-chatbot-frontend": [10001, 10001, 10001],
      "StatefulSet/todo-todo-chatbot-postgresql": [10002, 10002, 10002],
      "Pod/todo-todo-chatbot-test": [10001, 10001, 10001],
    });
    // the Pod's ids are the image's USER (the test Pod runs the backend image)
    for (const app of ["backend", "frontend"]) {
      const dockerfile = readFileSync(join(repoRoot, "apps", app, "Dockerfile"), "utf8");
      expect([...dockerfile.matchAll(/^USER (\S+)$/gm)].map((match) => match[1]), `${app} Dockerfile USER`).toEqual(["10001:10001"]);
    }
  });

  it.each(valueSets)("%s: no container overrides the Pod's user or group (one place decides)", (valueSet) => {
    const overrides = podsOf(valueSet).flatMap((pod) =>
      [...(pod.spec.initContainers ?? []), ...pod.spec.containers]
        .filter((container) => container.securityContext?.runAsUser !== undefined || container.securityContext?.runAsGroup !== undefined)
        .map((container) => `${pod.owner} ${container.name}`),
    );
    expect(overrides).toEqual([]);
  });

  describe("the checker itself", () => {
    const backend = (): PodTemplate => {
      const pod = podsOf("default").find((candidate) => candidate.owner.endsWith("-backend"));
      if (!pod) throw new Error("no backend Pod rendered");
      return structuredClone(pod);
    };

    it("flags privilege escalation, missing drop ALL, a root user and an Unconfined seccomp profile", () => {
      const pod = backend();
      const container = pod.spec.containers[0];
      if (!container?.securityContext) throw new Error("backend container has no securityContext");
      delete container.securityContext.allowPrivilegeEscalation;
      container.securityContext.capabilities = { add: ["NET_ADMIN"] };
      container.securityContext.runAsUser = 0;
      container.securityContext.seccompProfile = { type: "Unconfined" };
      const problems = restrictedProblems(pod.spec).join("\n");
      expect(problems).toContain("Privilege Escalation");
      expect(problems).toContain("must drop ALL");
      expect(problems).toContain("adds NET_ADMIN");
      expect(problems).toContain("runAsUser must not be 0");
      expect(problems).toContain("Seccomp");
    });

    it("flags host namespaces, hostPath volumes, host ports and a privileged container", () => {
      const pod = backend();
      pod.spec.hostNetwork = true;
      pod.spec.volumes = [...(pod.spec.volumes ?? []), { name: "host", hostPath: { path: "/" } }];
      const container = pod.spec.containers[0];
      if (!container?.securityContext) throw new Error("backend container has no securityContext");
      container.securityContext.privileged = true;
      container.ports = [{ containerPort: 8000, hostPort: 8000 }];
      const problems = restrictedProblems(pod.spec).join("\n");
      for (const control of ["Host Namespaces", "HostPath Volumes", "Volume Types", "HostPorts", "Privileged Containers"]) {
        expect(problems).toContain(control);
      }
    });

    it("flags a writable root filesystem and a missing memory limit", () => {
      const pod = backend();
      const container = pod.spec.containers[0];
      if (!container?.securityContext || !container.resources?.limits) throw new Error("backend container incomplete");
      container.securityContext.readOnlyRootFilesystem = false;
      delete container.resources.limits.memory;
      const problems = hardeningProblems(pod.spec).join("\n");
      expect(problems).toContain("readOnlyRootFilesystem");
      expect(problems).toContain("resources.limits.memory");
    });
  });
});
